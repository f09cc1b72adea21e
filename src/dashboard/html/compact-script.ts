/**
 * A safe, small minification of the page's inline script: each line loses its indentation and trailing spaces, and
 * lines that are only a `//` comment or empty go. Nothing inside a line changes and the line breaks stay (so
 * automatic semicolon insertion reads the code as before); the script has no template literal, so no line of it is
 * inside a string. The CSP hash is computed from the result (render-page.ts hashes PAGE_SCRIPT as exported).
 */
export function compactScript(code: string): string {
  return code
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('//'))
    .join('\n');
}
