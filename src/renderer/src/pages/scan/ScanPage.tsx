import { Button, Group, Kbd, Stack, Text, Title } from '@mantine/core';
import { type KeyboardEvent, type RefObject, useEffect, useRef, useState } from 'react';
import { DEFAULT_SETTINGS } from '../../../../shared/settings';
import { ApprovalModal } from '../../components/ApprovalModal';
import { focusLostWithDialog, LargeQuantityModal } from '../../components/LargeQuantityModal';
import { QuantityField } from '../../components/quantity';
import { ReasonPicker } from '../../components/ReasonPicker';
import { useRpc } from '../../rpc/hooks';
import { usePreferences } from '../../state/preferences-context';
import { EntryCautions } from './EntryCautions';
import { MasterDataCard } from './MasterDataCard';
import { type Place, PlaceFields, usePlaceCautions } from './PlaceFields';
import { RecordedScans, ScannedItem } from './RecordedScans';
import { ScanField } from './ScanField';
import { useScanEntry } from './use-scan-entry';

type Field = 'code' | 'quantity' | 'organizationId' | 'siteId' | 'locationId';

/**
 * Scan, type the quantity, Enter: one line per scan, and the scanner never waits. The item's
 * name follows from the store's copy of SCM's item list; unknown codes are cautions, never a
 * refusal (the copy can be stale). The pipeline reads a barcode as its item and variant, judges
 * the quantity and asks about a large one; this page says the same first, for speed.
 */
export function ScanPage() {
  const settings = useRpc('settings.get', {});
  const suggestions = useRpc('suggestions.get', {});
  const reasons = useRpc('reasons.list', {});
  const { prefs, update: updatePrefs } = usePreferences();
  /** The reason every scan is recorded with, kept on this PC for the next visit. */
  const [reasonCode, setReasonCode] = useState<string | null>(null);
  const reason = reasonCode ?? prefs.lastScan?.reasonCode ?? '';
  const reasonField = useRef<HTMLDivElement | null>(null);
  const [place, setPlace] = useState<Place | null>(null);
  const cautions = usePlaceCautions(place);
  const fields: Record<Field, RefObject<HTMLInputElement | null>> = {
    code: useRef<HTMLInputElement>(null),
    quantity: useRef<HTMLInputElement>(null),
    organizationId: useRef<HTMLInputElement>(null),
    siteId: useRef<HTMLInputElement>(null),
    locationId: useRef<HTMLInputElement>(null),
  };
  /** Where focus goes once the question's dialog has closed (its focus trap would take it back before). */
  const afterDialog = useRef<Field | null>(null);

  const focus = (field: Field) => {
    const el = fields[field].current;
    el?.focus();
    // A refused quantity is selected: the clerk's next keys replace it.
    if (field === 'quantity') el?.select();
  };

  const entry = useScanEntry({
    place,
    threshold: settings.data?.entry.largeQuantityThreshold ?? DEFAULT_SETTINGS.entry.largeQuantityThreshold,
    dataSource: suggestions.data?.dataSources[0] ?? '@iv',
    measure: suggestions.data?.physicalMeasures[0] ?? 'adjustment',
    reasonCode: reason,
    focus,
  });

  // Once both answered (or failed: the clerk can still type the place), from the last line entered.
  useEffect(() => {
    if (place || settings.loading || suggestions.loading) return;
    const last = suggestions.data?.last;
    const siteId = last?.siteId ?? '';
    const locationId = last?.locationId ?? '';
    setPlace({
      organizationId:
        last?.organizationId ??
        settings.data?.defaultOrganizationId ??
        suggestions.data?.organizations[0] ??
        '',
      siteId,
      locationId,
      kept: siteId !== '' || locationId !== '',
    });
  }, [place, settings.loading, settings.data, suggestions.loading, suggestions.data]);

  // The pipeline asked after a line was sent: its threshold is newer than this page's copy.
  const asked = entry.question?.asked ?? null;
  const reloadSettings = settings.reload;
  useEffect(() => {
    if (asked) reloadSettings();
  }, [asked, reloadSettings]);

  /** Escape clears the site and warehouse kept from the last line, with one key, as on Create. */
  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    if (e.key !== 'Escape' || !place || (place.siteId === '' && place.locationId === '')) return;
    e.preventDefault();
    setPlace({ ...place, siteId: '', locationId: '', kept: false });
    fields.siteId.current?.focus();
  };

  /** The clerk answered the dialog: focus moves now, before the scanner's next keys can arrive. */
  const answered = (next: Field) => {
    afterDialog.current = next;
    focus(next);
  };

  if (!place) return <Text c="dimmed">Loading…</Text>;
  const q = entry.question;
  return (
    <Stack gap="sm" maw={980}>
      <Group justify="space-between">
        <Title order={2}>Scan</Title>
        <Text size="sm" c="dimmed">
          Scan, <Kbd>Enter</Kbd>, quantity, <Kbd>Enter</Kbd>
        </Text>
      </Group>
      <MasterDataCard />
      <Stack gap="sm" onKeyDown={onKeyDown}>
        <PlaceFields
          place={place}
          errors={entry.errors}
          refs={fields}
          onChange={(patch) => {
            setPlace((p) => (p ? { ...p, ...patch } : p));
            entry.setErrors({});
          }}
        />
        <EntryCautions warnings={cautions} suffix=". Scans can still be recorded there." />
        <ScanField
          value={entry.code}
          inputRef={fields.code}
          error={entry.errors.code}
          onSubmit={(e) => {
            e.preventDefault();
            entry.scan();
          }}
          onChange={entry.setCode}
        />
        {entry.current && <ScannedItem code={entry.current.code} lookup={entry.currentLookup} />}
        <form
          noValidate
          onSubmit={(e) => {
            e.preventDefault();
            entry.record();
          }}
        >
          <Group align="flex-start">
            {/* Never disabled: the keys typed while the item is looked up are the quantity. */}
            <QuantityField
              label="Quantity (change, + or −)"
              description="-2 takes two out"
              value={entry.quantity}
              onChange={entry.setQuantity}
              error={entry.errors.quantity}
              inputRef={fields.quantity}
              style={{ flex: 1, maxWidth: 420 }}
            />
            {/* Never disabled either: a disabled submit button drops the next Enter. */}
            <Button type="submit" mt={24} variant="light">
              Record
            </Button>
          </Group>
        </form>
        {(reasons.data ?? []).some((r) => r.active) && (
          <ReasonPicker
            reasons={reasons.data ?? []}
            value={reason}
            required={settings.data?.entry.reasonRequired ?? false}
            inputRef={(el) => {
              reasonField.current = el;
            }}
            onChange={(code) => {
              setReasonCode(code);
              updatePrefs({ lastScan: { reasonCode: code } });
            }}
            // After Quantity in the Tab order (Site, Warehouse, scan stay one Tab apart); Enter goes
            // back to the scan, and the reason stays for every scan after.
            onEnter={() => focus('code')}
          />
        )}
      </Stack>
      <RecordedScans rows={entry.rows} lookups={entry.lookups} />
      <ApprovalModal
        why={entry.approval ? `${entry.approval.code}: ${entry.approval.why}` : null}
        onOverride={async (override) => {
          await entry.approveWith(override);
          answered('code');
        }}
        onPark={async () => {
          await entry.park();
          answered('code');
        }}
        onCancel={() => {
          entry.dropApproval();
          answered('code');
        }}
      />
      <LargeQuantityModal
        question={
          q && {
            item: q.code,
            quantity: q.line.quantity as number,
            where: `${(q.line.dimensions as Record<string, string>).siteId} / ${(q.line.dimensions as Record<string, string>).locationId}`,
            onHand: null,
            asked: q.asked,
          }
        }
        threshold={
          settings.data?.entry.largeQuantityThreshold ?? DEFAULT_SETTINGS.entry.largeQuantityThreshold
        }
        verb="Record"
        cancelLabel={q?.key === null ? 'Back to Quantity' : "Don't record"}
        onConfirm={() => answered(entry.confirm())}
        onCancel={() => answered(entry.cancel())}
        onClosed={() => {
          // Again once it is gone, if its focus trap kept the focus: never away from a field in use.
          if (afterDialog.current && focusLostWithDialog()) focus(afterDialog.current);
          afterDialog.current = null;
        }}
      />
    </Stack>
  );
}
