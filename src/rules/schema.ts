import validateFlag from '../generated/validate-flag.js';
import { validateAll } from '../generated/validate-flag-all.js';
import flagSchema from '../../schemas/flag.schema.json' with { type: 'json' };
import { MAX_FINDINGS_PER_FILE } from './limits.js';
import { schemaFindings } from './schema-findings.js';
import type { Rule } from './types.js';

/** Paths whose type/pattern errors the definition rules report with better codes and hints. */
const REPORTED_BY_DEFINITION = new Set(['/name', '/milestone']);

/** `schema`: the JSON schema of flag files (schemas/flag.schema.json). */
export const schemaRule: Rule = (doc) => {
  if (validateFlag(doc.data)) return [];
  validateAll(doc.data);
  const flag = typeof doc.data.name === 'string' ? doc.data.name : doc.stem;
  return schemaFindings(validateAll.errors ?? [], {
    file: doc.file,
    locate: doc.locate,
    data: doc.data,
    flag,
    schema: flagSchema,
    skipPaths: REPORTED_BY_DEFINITION,
    hints: MAX_FINDINGS_PER_FILE,
  });
};
