/**
 * SCM's public master-data entities, read per organization for the store's offline copy.
 * Entity and field names come from the SAP Cloud SDK client generated from a live F&O
 * `$metadata` (service `d365_metadata`, public on GitHub) [MD]:
 * - `ReleasedProductsV2`, key (dataAreaId, ItemNumber): `SearchName`, `ProductSearchName`,
 *   `TrackingDimensionGroupName` (that $metadata has no `ProductName` on this entity);
 * - `ProductBarcodesV3`, key (dataAreaId, ItemNumber, ProductConfigurationId, ProductColorId,
 *   ProductSizeId, ProductStyleId, ProductVersionId, ProductQuantityUnitSymbol, BarcodeSetupId, Barcode);
 * - `OperationalSites`, key (dataAreaId, SiteId): `SiteName`;
 * - `Warehouses`, key (dataAreaId, WarehouseId): `WarehouseName`, `OperationalSiteId`;
 * - journal names (`JournalNameId`, `Description`): no such entity is in that $metadata, so
 *   they are read only from the entity set the store names (*Journal names entity set*); a 404
 *   or 400 for it is a note ("journal names not checked"), not a failure.
 * None of these entities exposes a modified time in that $metadata, so each refresh reads the
 * organization's rows in full, paged by SCM (`@odata.nextLink`, at most 10,000 rows a page [OD]).
 */

import type { MasterJournalName, OrganizationMasterData } from '../../shared/master-data';
import { getCi } from './answer-text';
import { joinUrl, trimTrailingSlashes, type UpstreamConnection } from './config';
import { isUpstreamError } from './errors';
import { text } from './scm-answers';
import type { ScmClient } from './scm-client';
import { odataString, queryValue } from './scm-read-back';

export type {
  MasterBarcode,
  MasterJournalName,
  MasterProduct,
  MasterSite,
  MasterWarehouse,
  OrganizationMasterData,
} from '../../shared/master-data';

/** ProductBarcodesV3's product dimension fields → the ledger's canonical dimension names. */
const BARCODE_DIMENSIONS: [string, string][] = [
  ['ProductColorId', 'colorId'],
  ['ProductSizeId', 'sizeId'],
  ['ProductStyleId', 'styleId'],
  ['ProductConfigurationId', 'configId'],
  ['ProductVersionId', 'versionId'],
];

const orNull = (v: unknown): string | null => {
  const s = text(v).trim();
  return s === '' ? null : s;
};

export class MasterDataClient {
  constructor(
    private readonly conn: Pick<UpstreamConnection, 'fnoEnvironmentUrl'>,
    private readonly scm: ScmClient,
    /** The entity set to read journal names from; null: they are not read (nor checked). */
    private readonly journalNamesEntitySet: string | null = null,
  ) {}

  async read(organizationId: string): Promise<OrganizationMasterData> {
    const notes: string[] = [];
    const products = (
      await this.rows(
        'ReleasedProductsV2',
        organizationId,
        'ItemNumber,SearchName,ProductSearchName,TrackingDimensionGroupName',
      )
    ).map((r) => ({
      itemNumber: text(getCi(r, 'ItemNumber')),
      name: orNull(getCi(r, 'SearchName')) ?? orNull(getCi(r, 'ProductSearchName')),
      trackingDimensionGroup: orNull(getCi(r, 'TrackingDimensionGroupName')),
    }));
    const barcodes = (
      await this.rows(
        'ProductBarcodesV3',
        organizationId,
        `ItemNumber,Barcode,${BARCODE_DIMENSIONS.map(([f]) => f).join(',')}`,
      )
    ).map((r) => {
      const dimensions: Record<string, string> = {};
      for (const [field, name] of BARCODE_DIMENSIONS) {
        const value = orNull(getCi(r, field));
        if (value !== null) dimensions[name] = value;
      }
      return { barcode: text(getCi(r, 'Barcode')), itemNumber: text(getCi(r, 'ItemNumber')), dimensions };
    });
    const sites = (await this.rows('OperationalSites', organizationId, 'SiteId,SiteName')).map((r) => ({
      siteId: text(getCi(r, 'SiteId')),
      name: orNull(getCi(r, 'SiteName')),
    }));
    const warehouses = (
      await this.rows('Warehouses', organizationId, 'WarehouseId,WarehouseName,OperationalSiteId')
    ).map((r) => ({
      warehouseId: text(getCi(r, 'WarehouseId')),
      siteId: orNull(getCi(r, 'OperationalSiteId')),
      name: orNull(getCi(r, 'WarehouseName')),
    }));
    let journalNames: MasterJournalName[] | null = null;
    const journalSet = this.journalNamesEntitySet;
    if (journalSet !== null) {
      try {
        journalNames = (await this.rows(journalSet, organizationId, 'JournalNameId,Description')).map(
          (r) => ({
            journalNameId: text(getCi(r, 'JournalNameId')),
            description: orNull(getCi(r, 'Description')),
          }),
        );
      } catch (error) {
        // Only "this SCM has no such entity or field" is tolerated; anything else (offline, 401) fails the refresh.
        if (!isUpstreamError(error) || (error.status !== 404 && error.status !== 400)) throw error;
        notes.push(
          `Journal names could not be read from ${journalSet} (${error.status}): they are not checked at entry.`,
        );
      }
    }
    return {
      products: products.filter((p) => p.itemNumber !== ''),
      barcodes: barcodes.filter((b) => b.barcode !== '' && b.itemNumber !== ''),
      sites: sites.filter((s) => s.siteId !== ''),
      warehouses: warehouses.filter((w) => w.warehouseId !== ''),
      journalNames: journalNames?.filter((j) => j.journalNameId !== '') ?? null,
      notes,
    };
  }

  /** One organization's rows: `cross-company=true` with a dataAreaId filter, so the caller's default company does not matter. */
  private async rows(entity: string, organizationId: string, select: string): Promise<unknown[]> {
    const url =
      `${joinUrl(trimTrailingSlashes(this.conn.fnoEnvironmentUrl), `/data/${entity}`)}?cross-company=true` +
      `&$select=${queryValue(`dataAreaId,${select}`)}` +
      `&$filter=${queryValue(`dataAreaId eq ${odataString(organizationId)}`)}`;
    const org = organizationId.toLowerCase();
    // A server that ignores the filter must not fill this organization's copy with another's rows.
    return (await this.scm.getAllPages(url)).filter(
      (r) => text(getCi(r, 'dataAreaId')).toLowerCase() === org,
    );
  }
}
