import { Stack, Title } from '@mantine/core';

export function AnalysisPage({ scope }: { scope: 'campaign' | 'execution' }) {
  return (
    <Stack>
      <Title order={2}>Campaign analysis ({scope})</Title>
    </Stack>
  );
}
