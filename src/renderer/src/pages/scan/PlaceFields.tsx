import { Group, Kbd, Text, TextInput } from '@mantine/core';
import { type FocusEvent, type MouseEvent, type Ref, useEffect, useRef, useState } from 'react';
import type { EntryWarning } from '../../../../shared/master-data';
import { rpc } from '../../rpc/client';

/** Where the next scans go: organization, site, warehouse; `kept` while they came from the last line. */
export interface Place {
  organizationId: string;
  siteId: string;
  locationId: string;
  kept: boolean;
}

/** Let typing stop this long before the store's copy is asked: a site is typed in a few keystrokes. */
const SETTLE_MS = 250;

/**
 * The store's copy's cautions about the place, asked as it changes and before anything is
 * recorded there (an unknown site or warehouse). An answer for a place no longer shown is dropped.
 */
export function usePlaceCautions(place: Place | null): EntryWarning[] {
  const [cautions, setCautions] = useState<EntryWarning[]>([]);
  const org = place?.organizationId.trim() ?? '';
  const site = place?.siteId.trim() ?? '';
  const warehouse = place?.locationId.trim() ?? '';
  useEffect(() => {
    setCautions([]);
    if (org === '' || (site === '' && warehouse === '')) return;
    let current = true;
    const timer = setTimeout(() => {
      rpc('masterData.checkPlace', { organizationId: org, siteId: site, locationId: warehouse }).then(
        (found) => {
          if (current) setCautions(found);
        },
        // No caution is no refusal: the line is judged again when it is recorded.
        () => undefined,
      );
    }, SETTLE_MS);
    return () => {
      current = false;
      clearTimeout(timer);
    };
  }, [org, site, warehouse]);
  return cautions;
}

/**
 * A click into a short code field selects what is there, so typing replaces it: a site kept
 * from the last line, clicked and typed "1", became "11". (Chrome drops a selection made on
 * focus at the click's mouseup; the first mouseup after focusing is ignored for that.)
 */
function useSelectOnFocus() {
  const justFocused = useRef(false);
  return {
    onFocus: (e: FocusEvent<HTMLInputElement>) => {
      justFocused.current = true;
      e.currentTarget.select();
    },
    onMouseUp: (e: MouseEvent<HTMLInputElement>) => {
      if (justFocused.current) e.preventDefault();
      justFocused.current = false;
    },
    onBlur: () => {
      justFocused.current = false;
    },
  };
}

/** Organization, site and warehouse of the next scans, with what was kept from the last line said beside them. */
export function PlaceFields(props: {
  place: Place;
  errors: Partial<Record<'organizationId' | 'siteId' | 'locationId', string>>;
  onChange: (patch: Partial<Place>) => void;
  refs: Record<'organizationId' | 'siteId' | 'locationId', Ref<HTMLInputElement>>;
}) {
  const { place, errors, onChange } = props;
  const select = useSelectOnFocus();
  const kept = place.kept && (place.siteId !== '' || place.locationId !== '');
  return (
    <div>
      <Group grow align="flex-start">
        <TextInput
          ref={props.refs.organizationId}
          label="Organization"
          value={place.organizationId}
          error={errors.organizationId}
          autoComplete="off"
          {...select}
          onChange={(e) => onChange({ organizationId: e.currentTarget.value })}
        />
        <TextInput
          ref={props.refs.siteId}
          label="Site"
          value={place.siteId}
          error={errors.siteId}
          autoComplete="off"
          {...select}
          onChange={(e) => onChange({ siteId: e.currentTarget.value, kept: false })}
        />
        <TextInput
          ref={props.refs.locationId}
          label="Warehouse"
          value={place.locationId}
          error={errors.locationId}
          autoComplete="off"
          {...select}
          onChange={(e) => onChange({ locationId: e.currentTarget.value, kept: false })}
        />
      </Group>
      {kept && (
        <Text size="sm" mt={4} data-testid="kept-place">
          Kept from the last line: site {place.siteId || '—'}, warehouse {place.locationId || '—'} ·{' '}
          <Kbd>Esc</Kbd> clears
        </Text>
      )}
    </div>
  );
}
