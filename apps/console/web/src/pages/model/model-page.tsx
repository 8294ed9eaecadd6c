import { AreaChart } from '@mantine/charts';
import { Button, Group, Paper, SegmentedControl, Select, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { api } from '../../api/client';
import { distributionRows, type DistributionDay } from '../../charts/chart-data';
import { formatInteger, formatPercent } from '../../ui/format';
import { QueryState } from '../../ui/query-state';

type ModelStatus = { modelDate: string | null; customers: number; globalControlShare: number };
type Changer = { customerId: string; from: { lifecycleStage: string; microSegment: string | null }; to: { lifecycleStage: string; microSegment: string | null } };
const STAGES = ['prospect', 'new', 'active', 'at_risk', 'churned', 'reactivated'];
const COLOURS = ['gray.6', 'cyan.7', 'green.7', 'orange.7', 'red.8', 'violet.7', 'blue.7', 'teal.7', 'pink.7', 'yellow.8', 'indigo.7'];
const PAGE = 50;

const daysBefore = (day: string, days: number): string => new Date(Date.parse(`${day}T00:00:00Z`) - days * 86_400_000).toISOString().slice(0, 10);

export function ModelPage() {
  const status = useQuery({ queryKey: ['model'], queryFn: ({ signal }) => api<ModelStatus>('/api/segmentation/model', { signal }) });
  return (
    <Stack>
      <Title order={2}>Customer model</Title>
      <QueryState query={status} what="the customer model">
        {(model) =>
          model.modelDate === null ? (
            <Text c="dimmed">The model has not been built yet: it is built by the first nightly run after an import.</Text>
          ) : (
            <Stack>
              <Text>
                {formatInteger(model.customers)} customers modelled as of {model.modelDate}; global control group {formatPercent(model.globalControlShare)}.
              </Text>
              <DistributionPanel modelDate={model.modelDate} />
              <ChangersPanel modelDate={model.modelDate} />
            </Stack>
          )
        }
      </QueryState>
    </Stack>
  );
}

function DistributionPanel({ modelDate }: { modelDate: string }) {
  const [dimension, setDimension] = useState<'lifecycle_stage' | 'micro_segment'>('lifecycle_stage');
  const [days, setDays] = useState('90');
  const from = daysBefore(modelDate, Number(days) - 1);
  const distribution = useQuery({
    queryKey: ['distribution', dimension, from, modelDate],
    queryFn: ({ signal }) => api<DistributionDay[]>(`/api/segmentation/model/distribution?from=${from}&to=${modelDate}&dimension=${dimension}`, { signal }),
  });
  return (
    <Paper withBorder p="md" component="section" aria-labelledby="distribution-title">
      <Stack>
        <Group justify="space-between">
          <Title order={3} size="h4" id="distribution-title">
            {dimension === 'lifecycle_stage' ? 'Lifecycle stages' : 'Micro-segments'} over the last {days} days
          </Title>
          <Group>
            <SegmentedControl
              aria-label="Dimension"
              value={dimension}
              onChange={(value) => setDimension(value)}
              data={[
                { value: 'lifecycle_stage', label: 'Lifecycle stage' },
                { value: 'micro_segment', label: 'Micro-segment' },
              ]}
            />
            <SegmentedControl aria-label="Period" value={days} onChange={setDays} data={['30', '90', '365'].map((value) => ({ value, label: `${value} days` }))} />
          </Group>
        </Group>
        <QueryState query={distribution} what="the distribution">
          {(rows) => {
            const chart = distributionRows(rows);
            return chart.rows.length === 0 ? (
              <Text c="dimmed">No history in this period.</Text>
            ) : (
              <AreaChart
                h={320}
                data={chart.rows}
                dataKey="date"
                type="stacked"
                series={chart.series.map((name, index) => ({ name, color: COLOURS[index % COLOURS.length] }))}
                withLegend
                withDots={false}
                curveType="linear"
                valueFormatter={(value) => formatInteger(value)}
                aria-label="Customers per day, stacked by value"
              />
            );
          }}
        </QueryState>
      </Stack>
    </Paper>
  );
}

function ChangersPanel({ modelDate }: { modelDate: string }) {
  const [date, setDate] = useState(modelDate);
  const [from, setFrom] = useState<string | null>(null);
  const [to, setTo] = useState<string | null>(null);
  const [offset, setOffset] = useState(0);
  const query = new URLSearchParams({ date, limit: String(PAGE), offset: String(offset) });
  if (from) query.set('from', from);
  if (to) query.set('to', to);
  const changers = useQuery({
    queryKey: ['changers', query.toString()],
    queryFn: ({ signal }) => api<{ date: string; total: number; items: Changer[] }>(`/api/segmentation/model/changers?${query.toString()}`, { signal }),
  });
  return (
    <Paper withBorder p="md" component="section" aria-labelledby="changers-title">
      <Stack>
        <Title order={3} size="h4" id="changers-title">
          Stage changers of the day
        </Title>
        <Group align="flex-end">
          <TextInput type="date" label="Day" value={date} onChange={(event) => (setDate(event.currentTarget.value), setOffset(0))} w={170} />
          <Select label="From stage" data={STAGES} value={from} onChange={(value) => (setFrom(value), setOffset(0))} clearable placeholder="any" w={160} />
          <Select label="To stage" data={STAGES} value={to} onChange={(value) => (setTo(value), setOffset(0))} clearable placeholder="any" w={160} />
        </Group>
        <QueryState query={changers} what="the stage changers">
          {(page) => (
            <Stack gap="xs">
              <Text size="sm">{formatInteger(page.total)} customers changed stage on {page.date}.</Text>
              {page.items.length > 0 && (
                <Table striped aria-label="Stage changers">
                  <Table.Thead>
                    <Table.Tr>
                      <Table.Th>Customer id</Table.Th>
                      <Table.Th>From</Table.Th>
                      <Table.Th>To</Table.Th>
                    </Table.Tr>
                  </Table.Thead>
                  <Table.Tbody>
                    {page.items.map((row) => (
                      <Table.Tr key={row.customerId}>
                        <Table.Td ff="monospace">{row.customerId}</Table.Td>
                        <Table.Td>
                          {row.from.lifecycleStage}
                          {row.from.microSegment ? ` (${row.from.microSegment})` : ''}
                        </Table.Td>
                        <Table.Td>
                          {row.to.lifecycleStage}
                          {row.to.microSegment ? ` (${row.to.microSegment})` : ''}
                        </Table.Td>
                      </Table.Tr>
                    ))}
                  </Table.Tbody>
                </Table>
              )}
              <Group>
                <Button size="xs" variant="default" disabled={offset === 0} onClick={() => setOffset(Math.max(0, offset - PAGE))}>
                  Previous
                </Button>
                <Button size="xs" variant="default" disabled={offset + PAGE >= page.total} onClick={() => setOffset(offset + PAGE)}>
                  Next
                </Button>
              </Group>
            </Stack>
          )}
        </QueryState>
      </Stack>
    </Paper>
  );
}
