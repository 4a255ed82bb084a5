import { Fieldset, SimpleGrid } from '@mantine/core';
import { type FieldContext, SecretSetting, TextSetting } from './fields';

/** The connection a cloud business layer has built in: Entra app registration and the IV endpoints. */
export function ConnectionSection({ ctx, hasSecret }: { ctx: FieldContext; hasSecret: boolean }) {
  return (
    <Fieldset legend="Connection">
      <SimpleGrid cols={{ base: 1, md: 2 }}>
        <TextSetting
          ctx={ctx}
          field="tenantId"
          label="Tenant ID"
          help="Microsoft Entra tenant (GUID or domain) of the app registration."
        />
        <TextSetting
          ctx={ctx}
          field="clientId"
          label="Client ID"
          help="Application (client) ID of the app registration."
        />
        <SecretSetting
          ctx={ctx}
          field="clientSecret"
          label="Client secret"
          help="Write-only: stored encrypted, never shown again. Leave blank to keep it."
          stored={hasSecret}
        />
        <TextSetting
          ctx={ctx}
          field="authorityHost"
          label="Authority host"
          help="Microsoft Entra sign-in address."
          placeholder="https://login.microsoftonline.com"
        />
        <TextSetting
          ctx={ctx}
          field="ivEndpoint"
          label="IV endpoint"
          help="Inventory Visibility service address for your region."
          placeholder="https://inventoryservice.<region>-il<n>.gateway.prod.island.powerapps.com"
        />
        <TextSetting
          ctx={ctx}
          field="ivSecurityServiceUrl"
          label="IV security service URL"
          help="Where the Entra token is exchanged for an IV token."
          placeholder="https://securityservice.operations365.dynamics.com"
        />
      </SimpleGrid>
    </Fieldset>
  );
}
