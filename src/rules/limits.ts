/** Findings shown per file; past it, one `file/more-findings` finding counts the rest (check-file.ts). */
export const MAX_FINDINGS_PER_FILE = 50;
