import { Stack, Title } from '@mantine/core';

export function CampaignWizardPage() {
  return (
    <Stack>
      <Title order={2}>Run campaign</Title>
    </Stack>
  );
}
