import { Stack, Title } from '@mantine/core';

export function RunsPage() {
  return (
    <Stack>
      <Title order={2}>Nightly runs</Title>
    </Stack>
  );
}
