/**
 * Which rollout gates an environment turns on — apart from the gates themselves, so a caller can tell whether it
 * needs them (and load them) without loading every gate and its libraries.
 */
import type { EnvironmentConfig } from '../config/types.js';
import type { GateName } from './types.js';

export const GATE_CONFIGURED: Readonly<Record<GateName, (env: EnvironmentConfig) => boolean>> = {
  promotion: (e) => e.after !== null,
  soak: (e) => e.after !== null && (e.soakMs ?? 0) > 0,
  step: (e) => e.maxStep !== undefined,
  deployed: (e) => e.deployment !== undefined,
  'change-request': (e) => e.changeManagement !== undefined && e.changeManagement.required !== 'never',
  freeze: (e) => e.freeze !== undefined,
  'production-check': (e) => e.productionCheck !== undefined,
};

const GATE_CODE = new RegExp(`^(${Object.keys(GATE_CONFIGURED).join('|')})\\b`);

/** A finding of a rollout gate (it holds its flag as pending rather than failing the files). */
export function isGateCode(code: string): boolean {
  return GATE_CODE.test(code);
}

export function hasGates(env: EnvironmentConfig): boolean {
  return Object.values(GATE_CONFIGURED).some((configured) => configured(env));
}
