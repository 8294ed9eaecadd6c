import { Anchor, Badge, Button, Group, Stack, Table, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { Link } from 'react-router';
import { api } from '../../api/client';
import { QueryState } from '../../ui/query-state';
import { KPI_LABELS, type Campaign } from '../campaign-wizard/wizard-api';

const STATUS_COLOURS: Record<string, string> = { active: 'green', paused: 'orange', archived: 'gray' };

export function CampaignsPage() {
  const campaigns = useQuery({ queryKey: ['campaigns'], queryFn: ({ signal }) => api<Campaign[] | { items: Campaign[] }>('/api/segmentation/campaigns', { signal }) });
  return (
    <Stack>
      <Group justify="space-between">
        <Title order={2}>Campaigns</Title>
        <Button component={Link} to="/campaigns/new">
          Run campaign
        </Button>
      </Group>
      <QueryState query={campaigns} what="the campaigns">
        {(data) => {
          const list = Array.isArray(data) ? data : data.items;
          if (list.length === 0) return <Text c="dimmed">No campaign yet.</Text>;
          return (
            <Table.ScrollContainer minWidth={800}>
              <Table striped aria-label="Campaigns">
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>Name</Table.Th>
                    <Table.Th>Status</Table.Th>
                    <Table.Th>Variants</Table.Th>
                    <Table.Th>When</Table.Th>
                    <Table.Th ta="right">Control</Table.Th>
                    <Table.Th ta="right">Priority</Table.Th>
                    <Table.Th>Result</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {list.map((campaign) => (
                    <Table.Tr key={campaign.id}>
                      <Table.Td>{campaign.name}</Table.Td>
                      <Table.Td>
                        <Badge color={STATUS_COLOURS[campaign.status] ?? 'gray'} variant="light">
                          {campaign.status}
                        </Badge>
                      </Table.Td>
                      <Table.Td>
                        {campaign.variants.map((variant) => variant.name).join(', ')}
                        {campaign.variants.length > 1 && campaign.abTestKpi ? ` (${KPI_LABELS[campaign.abTestKpi]})` : ''}
                      </Table.Td>
                      <Table.Td>
                        {campaign.recurrence.type} {campaign.sendTime} {campaign.timeZone}
                      </Table.Td>
                      <Table.Td ta="right">{Math.round(campaign.controlShare * 100)} %</Table.Td>
                      <Table.Td ta="right">{campaign.priority}</Table.Td>
                      <Table.Td>
                        <Anchor component={Link} to={`/campaigns/${campaign.id}/analysis`} aria-label={`Analysis of ${campaign.name}`}>
                          Analysis
                        </Anchor>
                      </Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </Table.ScrollContainer>
          );
        }}
      </QueryState>
    </Stack>
  );
}
