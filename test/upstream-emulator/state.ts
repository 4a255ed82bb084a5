// Everything the emulator remembers; reset() puts it back to the starting catalog.
import { TokenStore } from './auth';
import { CatalogIndex } from './catalog';
import { DimensionNames } from './dimensions';
import { FaultInjector } from './faults';
import { IvStore } from './iv';
import { ScmService } from './scm';
import type {
  Catalog,
  Counters,
  DataProject,
  EmulatorClock,
  EmulatorCredentials,
  EmulatorSettings,
} from './types';

export const zeroCounters = (): Counters => ({
  ivBulkCalls: 0,
  ivEventsReceived: 0,
  ivEventsAccepted: 0,
  ivEventsDuplicate: 0,
  ivEventsRejected: 0,
  scmEnqueueCalls: 0,
  scmMessagesRefused: 0,
  scmExecutionErrorsCalls: 0,
  scmODataCalls: 0,
  scmHeaderRowsReceived: 0,
  scmHeaderRowsFailed: 0,
  scmRowsReceived: 0,
  scmRowsImported: 0,
  scmRowsDuplicate: 0,
  scmRowsFailed: 0,
  journals: 0,
  postingJobRuns: 0,
  journalsPosted: 0,
  journalsPostError: 0,
  postingAttemptsFailed: 0,
  offsetsApplied: 0,
  faultsInjected: 0,
});

export interface StateInit {
  url: string;
  credentials: EmulatorCredentials;
  catalog: Catalog;
  settings: EmulatorSettings;
  dataProject: DataProject;
  tokenLifetimeSeconds: number;
  seed: number;
  clock: EmulatorClock;
}

const copySettings = (s: EmulatorSettings): EmulatorSettings => structuredClone(s);

export class EmulatorState {
  readonly url: string;
  readonly credentials: EmulatorCredentials;
  readonly tokenLifetimeSeconds: number;
  /** SCM's time: imports, the posting job, the offsets, and the dates they write. */
  readonly clock: EmulatorClock;
  readonly tokens = new TokenStore();
  readonly faults: FaultInjector;
  settings: EmulatorSettings;
  dataProject: DataProject;
  counters: Counters = zeroCounters();
  catalog: CatalogIndex;
  iv: IvStore;
  scm: ScmService;

  constructor(private readonly init: StateInit) {
    this.url = init.url;
    this.credentials = init.credentials;
    this.tokenLifetimeSeconds = init.tokenLifetimeSeconds;
    this.clock = init.clock;
    this.faults = new FaultInjector(init.seed);
    this.settings = copySettings(init.settings);
    this.dataProject = structuredClone(init.dataProject);
    this.catalog = new CatalogIndex(init.catalog);
    this.iv = new IvStore(new DimensionNames());
    this.scm = new ScmService(this);
    this.seedOnHand();
  }

  reset(): void {
    this.scm.cancel();
    this.faults.reset();
    this.settings = copySettings(this.init.settings);
    this.dataProject = structuredClone(this.init.dataProject);
    this.counters = zeroCounters();
    this.catalog = new CatalogIndex(this.init.catalog);
    this.iv = new IvStore(new DimensionNames());
    this.scm = new ScmService(this);
    this.seedOnHand();
  }

  defaultCompany(): string {
    return this.init.catalog.organizations[0] ?? 'dat';
  }

  addOnHand(org: string, item: string, dimensions: Record<string, string>, quantity: number): void {
    const organization = this.catalog.organization(org) ?? org;
    const product = this.catalog.item(organization, item) ?? item;
    this.iv.apply(
      organization,
      product,
      this.iv.dims.normalize(dimensions),
      'fno',
      'physicalinvent',
      quantity,
    );
  }

  private seedOnHand(): void {
    for (const row of this.init.catalog.onHand) {
      this.addOnHand(row.organizationId, row.itemNumber, row.dimensions, row.quantity);
    }
  }
}
