import { Stack, Title } from '@mantine/core';

export function ModelPage() {
  return (
    <Stack>
      <Title order={2}>Customer model</Title>
    </Stack>
  );
}
