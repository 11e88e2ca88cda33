/**
 * The evidence-log switch (issue 5): the gateway is measured once per requested variant
 * (`--evidence-log=on|off|both`, default both). The component reads `evidence.enabled` from
 * its config (config/schema.ts); the bench keeps the key and the JSONL mirror in its own
 * temp dir, never in the project's .data/. Between variants the component is restarted
 * (state stays in Redis, clients stay connected). Change here if the config contract moves.
 */
import { join } from 'node:path';

export type EvidenceVariant = 'as-is' | 'on' | 'off';
export type EvidenceRequest = 'as-is' | 'on' | 'off' | 'both';

export interface EvidenceSwitch {
  env?: Record<string, string>;
  config?: Record<string, unknown>;
}

/** Where the component keeps evidence files in every variant (also 'as-is'). */
export const evidenceConfig = (dir: string, enabled?: boolean) => ({
  evidence: { dataDir: join(dir, 'evidence'), ...(enabled === undefined ? {} : { enabled }) },
});

export function evidenceSwitch(variant: EvidenceVariant, dir: string): EvidenceSwitch {
  return { config: evidenceConfig(dir, variant === 'as-is' ? undefined : variant === 'on') };
}

export function evidenceVariants(requested: EvidenceRequest): { variants: EvidenceVariant[]; note: string } {
  if (requested === 'as-is') return { variants: ['as-is'], note: 'evidence log: as configured by default (no switch requested)' };
  const variants: EvidenceVariant[] = requested === 'both' ? ['on', 'off'] : [requested];
  return {
    variants,
    note: `evidence log: measured ${variants.join(' and ')} (config evidence.enabled); the other phases run with it ${variants[0]}`,
  };
}
