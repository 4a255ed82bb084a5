import { Fieldset, SimpleGrid, Stack, Text, TextInput } from '@mantine/core';
import { readBack } from '../../components/quantity';
import { type FieldContext, NumberSetting, SwitchSetting } from './fields';

/**
 * How the store's entry screens judge a line before it is stored (the pipeline reads these):
 * the same on every PC of the store, and for counts and drafts too.
 */
export function EntrySection({ ctx }: { ctx: FieldContext }) {
  const value = String(ctx.draft.largeQuantityThreshold);
  const said = readBack(value);
  return (
    <Fieldset legend="Entry" aria-label="Entry">
      <Stack>
        <Text size="sm">For the whole store: Create, Scan, counts and drafts on every PC.</Text>
        <SimpleGrid cols={{ base: 1, md: 2 }}>
          {/* Text, read in the UI's language: a number input strips letters and reads "1.000" as 1. */}
          <TextInput
            label="Ask before recording a quantity of"
            description={
              said ??
              'A line at or beyond this, in or out, is recorded only once the clerk confirms it; the API cautions it'
            }
            inputMode="decimal"
            autoComplete="off"
            value={value}
            onChange={(e) => ctx.set('largeQuantityThreshold', e.currentTarget.value)}
            error={ctx.errors.largeQuantityThreshold}
            disabled={ctx.locked('largeQuantityThreshold').disabled}
          />
          <NumberSetting
            ctx={ctx}
            field="autoLockMinutes"
            label="Lock a window after (minutes without use)"
            help="When people sign in: no key press or click for this long, and the window asks for the next PIN or badge."
            min={1}
            max={480}
          />
          <SwitchSetting
            ctx={ctx}
            field="reasonRequired"
            label="Every line names a reason"
            help="Create, Scan, counts, drafts and the API refuse a line without one of the store’s reason codes."
          />
        </SimpleGrid>
        <Text size="sm" fw={600}>
          Manager approval
        </Text>
        <SimpleGrid cols={{ base: 1, md: 2 }}>
          <NumberSetting
            ctx={ctx}
            field="approvalUnitsThreshold"
            label="A clerk’s line waits for a manager from (units)"
            help="In or out. Blank: no unit threshold. A manager’s PIN approves it there, or it waits in Waiting for approval."
            min={1}
            max={1_000_000_000}
          />
          <NumberSetting
            ctx={ctx}
            field="approvalValueThreshold"
            label="… or from this value at its cost price"
            help="Only lines that carry a cost price. Blank: no value threshold."
            min={1}
            max={1_000_000_000_000}
          />
          <SwitchSetting
            ctx={ctx}
            field="holdStoreSystems"
            label="Hold store systems’ lines too"
            help="Off by default: a till cannot wait for a manager. On: their lines over a threshold wait in the list, and the API answers WaitingForApproval."
          />
        </SimpleGrid>
      </Stack>
    </Fieldset>
  );
}
