// Per-endpoint fault rules drawn from a seeded PRNG, so a failing run can be replayed.
import { z } from 'zod';
import type { FaultEndpoint, FaultKind, FaultRule } from './types';

export const FAULT_ENDPOINTS = [
  'entra',
  'ivToken',
  'ivBulk',
  'ivQuery',
  'scmEnqueue',
  'scmJobStatus',
  'scmExecutionErrors',
  'scmOData',
  '*',
] as const satisfies readonly FaultEndpoint[];
export const FAULT_KINDS = [
  '429',
  '500',
  '403',
  'hang',
  'drop',
  'lost',
] as const satisfies readonly FaultKind[];

export const faultRuleSchema = z.strictObject({
  endpoint: z.enum(FAULT_ENDPOINTS),
  rate: z.number().min(0).max(1),
  kinds: z.array(z.enum(FAULT_KINDS)).min(1).optional(),
  retryAfterSeconds: z.number().int().min(0).optional(),
});

export interface Fault {
  kind: FaultKind;
  retryAfterSeconds: number;
}

/** mulberry32: tiny, fast, good enough to spread faults evenly. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export class FaultInjector {
  private readonly rules = new Map<FaultEndpoint, Required<FaultRule>>();
  private random: () => number;

  constructor(private readonly seed: number) {
    this.random = prng(seed);
  }

  set(rule: FaultRule): void {
    const valid = faultRuleSchema.parse(rule);
    this.rules.set(valid.endpoint, {
      endpoint: valid.endpoint,
      rate: valid.rate,
      kinds: valid.kinds ?? ['500'],
      retryAfterSeconds: valid.retryAfterSeconds ?? 1,
    });
  }

  clear(): void {
    this.rules.clear();
  }

  /** Back to no rules and the PRNG's first draw. */
  reset(): void {
    this.rules.clear();
    this.random = prng(this.seed);
  }

  list(): FaultRule[] {
    return [...this.rules.values()].map((r) => ({ ...r, kinds: [...r.kinds] }));
  }

  /** The endpoint's own rule wins over '*'. */
  decide(endpoint: Exclude<FaultEndpoint, '*'>): Fault | null {
    const rule = this.rules.get(endpoint) ?? this.rules.get('*');
    if (!rule || rule.rate <= 0) return null;
    if (this.random() >= rule.rate) return null;
    const kind = rule.kinds[Math.floor(this.random() * rule.kinds.length)] ?? '500';
    return { kind, retryAfterSeconds: rule.retryAfterSeconds };
  }
}
