/**
 * `promote … --dossier PATH`: one JSON bundle with the decision, its gates, the walk-forward
 * metrics and digests the gates read, the stage history, and the transcripts that produced the
 * evidence (the walk-forward session's lines and this session's). docs/lifecycle.md, "Dossier".
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { canonicalJson, digestOf } from '../core/canonical.js';
import type { Gate } from '../core/result.js';
import type { PromotionEvidence } from './gates.js';
import type { StageDecision, StoredDecision } from './stages.js';

export interface Dossier {
  readonly format: 'edgelab-dossier/1';
  readonly decision: StageDecision;
  readonly gates: readonly Gate[];
  readonly evidence: PromotionEvidence;
  readonly history: readonly StoredDecision[];
  readonly transcript: { readonly walkForward: readonly { line: string; status: string }[]; readonly promotion: readonly { line: string; status: string }[] };
  /** SHA-256 of the canonical JSON of everything above. */
  readonly digest: string;
}

export function writeDossier(path: string, body: Omit<Dossier, 'format' | 'digest'>): Dossier {
  const content = { format: 'edgelab-dossier/1' as const, ...body };
  const dossier: Dossier = { ...content, digest: digestOf(content) };
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, `${canonicalJson(dossier)}\n`);
  return dossier;
}
