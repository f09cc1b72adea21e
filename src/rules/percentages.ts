/**
 * `schema/percentage-decimals`: a percentage has at most 2 decimals, exactly. The schema's `multipleOf: 0.01` is
 * checked by ajv with a rounding precision (floating point), which lets `1e-7` and `50.000000001` through; GitLab
 * stores at most 2 decimals, so those would be rounded behind the user's back. The number's shortest decimal form
 * (what JavaScript prints, the same digits the YAML held) decides.
 */
import type { Finding } from '../model/finding.js';
import { reporter, type Rule } from './types.js';

const TWO_DECIMALS = /^\d+(\.\d{1,2})?$/;

export function hasAtMostTwoDecimals(value: number): boolean {
  return Number.isFinite(value) && TWO_DECIMALS.test(String(value));
}

/** What the schema's check lets through (ajv, multipleOfPrecision 2): those the schema already refuses are its findings. */
function passesSchemaRounding(value: number): boolean {
  const division = value / 0.01;
  return Math.abs(Math.round(division) - division) < 1e-2;
}

export const percentageRule: Rule = (doc, ctx, states) => {
  const report = reporter(doc, ctx);
  const out: Finding[] = [];
  for (const { env, state } of states) {
    if (typeof state !== 'object') continue;
    for (const key of ['percentage_of_actors', 'percentage_of_time'] as const) {
      const value: unknown = Object.hasOwn(state, key) ? state[key] : undefined;
      // an integer (the usual percentage) has no decimals: only other numbers are printed and read
      if (typeof value !== 'number' || value <= 0 || value >= 100 || Number.isInteger(value) || hasAtMostTwoDecimals(value) || !passesSchemaRounding(value)) continue;
      out.push(
        report('schema/percentage-decimals', ['environments', env, key], `${env}: ${key} ${String(value)} has more than 2 decimals`, {
          env,
          hint: 'GitLab keeps 2 decimals: write e.g. 33.33',
        }),
      );
    }
  }
  return out;
};
