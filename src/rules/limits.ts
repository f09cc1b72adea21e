/**
 * Findings kept per file: a file of 60,000 unknown keys is one problem, not 60,000 lines. Past it, one
 * `file/more-findings` finding counts the rest (check-file.ts).
 */
export const MAX_FINDINGS_PER_FILE = 50;
