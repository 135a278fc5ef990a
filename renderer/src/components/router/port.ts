/**
 * A port typed by a person: whole digits become a number (the contract's schema then checks 1–65535 and
 * says so per field); anything else — "abc", "87.29", "" — is null, and the form names the field itself
 * instead of silently keeping the old number (issue 13).
 */
export function parsePort(text: string): number | null {
  const t = text.trim();
  return /^\d{1,6}$/.test(t) ? Number(t) : null;
}
