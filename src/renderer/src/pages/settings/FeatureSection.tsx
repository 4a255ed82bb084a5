import { Alert, Anchor, Badge, Fieldset, Group, SimpleGrid, Stack, Text } from '@mantine/core';
import { IconAlertTriangle } from '@tabler/icons-react';
import { type FieldContext, NumberSetting, SwitchSetting, TextSetting } from './fields';

const OFFSET_DOC =
  'https://learn.microsoft.com/dynamics365/supply-chain/inventory/inventory-visibility-adjustment-offset';

/**
 * The business layer's *Feature management → Inventory transactions* page, under its own labels
 * (https://learn.microsoft.com/dynamics365/supply-chain/inventory/inventory-visibility-sync-changes).
 */
export function FeatureSection({ ctx, initialized }: { ctx: FieldContext; initialized: boolean }) {
  return (
    <Fieldset legend="Inventory transactions">
      <Stack>
        <SwitchSetting
          ctx={ctx}
          field="enableFeature"
          label="Enable feature"
          help="Master switch: off refuses new lines from the API and the form, and stops the schedules."
        />
        <Group gap="xs">
          <Text size="sm" fw={500}>
            Is feature initialized
          </Text>
          <Badge color={initialized ? 'teal.9' : 'gray.7'} data-testid="initialized">
            {initialized ? 'True' : 'False'}
          </Badge>
          <Text size="xs" c="dimmed">
            Read-only: set by Initialize once the ledger, both connections and the integration activity check
            out.
          </Text>
        </Group>
        <SimpleGrid cols={{ base: 1, md: 2 }}>
          <TextSetting
            ctx={ctx}
            field="environmentId"
            label="Environment ID"
            help="Inventory Visibility environment; the API's address contains it."
          />
          <TextSetting
            ctx={ctx}
            field="defaultOrganizationId"
            label="Default organization"
            help="Organization (dataAreaId) the entry form starts with on a fresh ledger, e.g. usmf."
          />
          <TextSetting
            ctx={ctx}
            field="fnoAdjustmentIntegrationActivityId"
            label="Fno adjustment integration activity Id"
            help="GUID of the SCM recurring data job that imports the adjustment journals."
            placeholder="0cdb527f-a8d1-4bf8-9436-b352c68682b2"
          />
          <TextSetting
            ctx={ctx}
            field="fnoEnvironmentUrl"
            label="Fno environment URL"
            help="Your SCM address, used for the journals and for links that open them."
            placeholder="https://contoso.operations.dynamics.com"
          />
          <NumberSetting
            ctx={ctx}
            field="fnoSyncMaxLineCount"
            label="Fno sync max line count in adjustment journal"
            help="Lines per SCM journal; more are split into several journals (default 10000)."
            min={1}
            max={100000}
          />
        </SimpleGrid>
        <SimpleGrid cols={{ base: 1, md: 2 }}>
          <SwitchSetting
            ctx={ctx}
            field="periodicSyncToIV"
            label="Periodically synchronize transaction to IV"
            help="Send new lines to Inventory Visibility on a schedule."
          />
          <SwitchSetting
            ctx={ctx}
            field="periodicSyncToFno"
            label="Periodically synchronize transaction to Fno"
            help="Aggregate and create SCM journals on a schedule; off keeps lines here until Sync now."
          />
          <NumberSetting
            ctx={ctx}
            field="ivSyncFrequencyMinutes"
            label="Inventory Visibility synchronization frequency"
            help="Minutes between runs of the IV job (default 1)."
            min={1}
            max={1440}
          />
          <NumberSetting
            ctx={ctx}
            field="fnoSyncFrequencyMinutes"
            label="Fno synchronization frequency"
            help="Minutes between runs of the aggregate + SCM job (default 2)."
            min={1}
            max={1440}
          />
        </SimpleGrid>
        {ctx.draft.periodicSyncToFno === true && (
          <Alert color="yellow" icon={<IconAlertTriangle size={18} />} data-testid="offset-warning">
            With <b>Periodically synchronize transaction to Fno</b> on, you must configure your system to
            offset inventory adjustments, to prevent inventory quantities from being updated twice. For
            details, see{' '}
            <Anchor href={OFFSET_DOC} target="_blank" rel="noopener noreferrer">
              Inventory Visibility adjustment offset
            </Anchor>
            .
          </Alert>
        )}
      </Stack>
    </Fieldset>
  );
}
