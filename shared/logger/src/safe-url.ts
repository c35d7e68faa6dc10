/** A URL fit for a log line: the password is replaced, the rest kept for diagnosis. */
export function safeUrl(value: string): string {
  try {
    const url = new URL(value);
    if (url.password) url.password = '***';
    return url.toString();
  } catch {
    return '(unparseable url)';
  }
}
