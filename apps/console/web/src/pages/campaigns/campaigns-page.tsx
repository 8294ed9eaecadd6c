import { Stack, Title } from '@mantine/core';

export function CampaignsPage() {
  return (
    <Stack>
      <Title order={2}>Campaigns</Title>
    </Stack>
  );
}
