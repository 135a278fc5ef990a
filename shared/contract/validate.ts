import type { z } from 'zod';
import type { ErrorData } from './result';

/** Turns a zod failure into an error that names the field, e.g. `port: must be at most 65535`. */
export function validationError(error: z.ZodError): ErrorData<'validation'> {
  const issues = error.issues.map((issue) => ({
    field: issue.path.length > 0 ? issue.path.map(String).join('.') : '(input)',
    message: issue.message,
  }));
  const message = issues.map((i) => `${i.field}: ${i.message}`).join('; ');
  return { code: 'validation', message: `Invalid input — ${message}`, detail: { issues } };
}
