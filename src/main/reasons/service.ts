/**
 * The store's reason codes as the screens and the API see them: the list (anyone entering lines
 * reads it), and a manager's changes. A code is never deleted, only made inactive: old lines keep
 * a code that still says something.
 */

import type { ReasonCode } from '../../shared/reasons';
import type { RpcParsedInput } from '../../shared/rpc';
import { nowIso } from '../clock';
import type { Ledger } from '../ledger';
import type { Actor } from '../people/actor';

export class ReasonService {
  constructor(private readonly ledger: Ledger) {}

  list(): ReasonCode[] {
    return this.ledger.reasons.list();
  }

  upsert(actor: Actor, input: RpcParsedInput<'reasons.upsert'>): ReasonCode[] {
    this.ledger.writeNow(() => this.ledger.reasons.upsert(input, nowIso(this.ledger.clock), actor.name));
    return this.list();
  }
}
