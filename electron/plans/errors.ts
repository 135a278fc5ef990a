/** Why a journal operation (resume, rollback) cannot run; code branches on `code`, people read `message`. */
export type JournalErrorCode = 'no-journal';

export class JournalError extends Error {
  override readonly name = 'JournalError';
  constructor(
    readonly code: JournalErrorCode,
    message: string,
  ) {
    super(message);
  }
}
