import { BarChart, LineChart } from '@mantine/charts';
import { Alert, Badge, Button, Group, Paper, SegmentedControl, SimpleGrid, Stack, Table, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useParams } from 'react-router';
import { CartesianGrid, ErrorBar, ReferenceLine, ResponsiveContainer, Scatter, ScatterChart, Tooltip, XAxis, YAxis } from 'recharts';
import { api } from '../../api/client';
import { dailyRows, funnelRows, upliftPoints, verdictInWords } from '../../charts/chart-data';
import { formatDateTime, formatInteger, formatMoney, formatPercent, formatPValue } from '../../ui/format';
import { QueryState } from '../../ui/query-state';
import type { Analysis, MetricComparison, VariantComparison } from './analysis-api';

const COLOURS = ['blue.7', 'grape.7', 'teal.7', 'orange.7', 'red.7', 'cyan.7'];
const STATE_TITLE: Record<Analysis['state'], string> = {
  ok: '',
  too_early: 'Too early',
  no_control_group: 'No control group',
  not_enough_data: 'Not enough data yet',
  not_sent: 'No variant was sent',
};

export function AnalysisPage({ scope }: { scope: 'campaign' | 'execution' }) {
  const params = useParams();
  const id = scope === 'campaign' ? params['campaignId'] : params['executionId'];
  const base = `/api/metrics-collector/${scope === 'campaign' ? 'campaigns' : 'executions'}/${encodeURIComponent(id ?? '')}/analysis`;
  const analysis = useQuery({ queryKey: ['analysis', scope, id], queryFn: ({ signal }) => api<Analysis>(base, { signal }), refetchInterval: 60_000 });
  return (
    <Stack>
      <Group justify="space-between">
        <Title order={2}>Campaign analysis{analysis.data ? `: ${analysis.data.scope.campaignName}` : ''}</Title>
        <Button component="a" href={`${base}?format=csv`} download variant="default">
          Export CSV
        </Button>
      </Group>
      <Text size="sm" c="dimmed">
        {scope === 'campaign' ? `All executions of the campaign together${analysis.data ? ` (${analysis.data.scope.executions})` : ''}.` : 'One execution (one send date).'}
      </Text>
      <QueryState query={analysis} what="the analysis">
        {(data) => <AnalysisView analysis={data} />}
      </QueryState>
    </Stack>
  );
}

function AnalysisView({ analysis }: { analysis: Analysis }) {
  const names = new Map(analysis.groups.map((group) => [group.key, group.name]));
  const final = analysis.window.closed;
  const comparisons = analysis.comparisons;
  return (
    <Stack>
      {analysis.state !== 'ok' && (
        <Alert color="blue" title={STATE_TITLE[analysis.state]}>
          {analysis.message}
        </Alert>
      )}
      <Text size="sm">
        Revenue measured from {formatDateTime(analysis.window.from)} to {formatDateTime(analysis.window.to)} ({analysis.window.actionDurationDays}-day action duration){' '}
        <Badge variant="light" color={final ? 'green' : 'orange'}>
          {final ? 'final figures' : 'window still open: sequential figures, valid at every daily look'}
        </Badge>
      </Text>
      <SimpleGrid cols={{ base: 1, lg: 2 }}>
        <GroupsTable analysis={analysis} />
        <SrmAndAbTest analysis={analysis} names={names} />
      </SimpleGrid>
      {comparisons.length > 0 && <UpliftSection comparisons={comparisons} names={names} final={final} />}
      <FunnelSection analysis={analysis} />
      {analysis.programme && <ProgrammeSection programme={analysis.programme} final={final} />}
    </Stack>
  );
}

function GroupsTable({ analysis }: { analysis: Analysis }) {
  return (
    <Paper withBorder p="md" component="section" aria-labelledby="groups-title">
      <Title order={3} size="h4" id="groups-title" mb="xs">
        Groups
      </Title>
      <Table aria-label="Groups">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Group</Table.Th>
            <Table.Th ta="right">Customers</Table.Th>
            <Table.Th ta="right">Revenue per customer</Table.Th>
            <Table.Th ta="right">Purchase rate</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {analysis.groups.map((group) => (
            <Table.Tr key={group.key}>
              <Table.Td>
                {group.name} {group.kind === 'control' && <Badge variant="outline">control</Badge>}
                {group.groupIds.length > 1 && (
                  <Text span size="xs" c="dimmed">
                    {' '}
                    ({group.groupIds.length} sends pooled)
                  </Text>
                )}
              </Table.Td>
              <Table.Td ta="right">{formatInteger(group.size)}</Table.Td>
              <Table.Td ta="right">{formatMoney(group.revenue?.perCustomer)}</Table.Td>
              <Table.Td ta="right">{formatPercent(group.revenue?.purchaseRate, 2)}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Paper>
  );
}

function SrmAndAbTest({ analysis, names }: { analysis: Analysis; names: Map<string, string> }) {
  const winner = analysis.abTest?.winner ? (names.get(analysis.abTest.winner) ?? analysis.abTest.winner) : null;
  const srm = analysis.srm;
  return (
    <Paper withBorder p="md" component="section" aria-labelledby="checks-title">
      <Stack gap="sm">
        <Title order={3} size="h4" id="checks-title">
          A/B test and checks
        </Title>
        {analysis.abTest ? (
          <Text>
            A/B winner on {analysis.abTest.kpi.replace(/_/g, ' ')}: <b>{winner ?? analysis.abTest.verdict}</b>
            {winner && analysis.abTest.verdict ? `. ${analysis.abTest.verdict}` : ''}
          </Text>
        ) : (
          <Text c="dimmed">No A/B test (one variant).</Text>
        )}
        <Alert color={!srm.checked ? 'gray' : srm.mismatch ? 'red' : 'green'} title="Sample-ratio check" role={srm.mismatch ? 'alert' : undefined}>
          {!srm.checked
            ? `Not checked: ${srm.reason ?? 'no plan to compare with'}.`
            : srm.mismatch
              ? `The groups' sizes do not match the plan (p ${formatPValue(srm.pValue)}): the assignment or the data is suspect; do not trust the comparisons until explained.`
              : `The groups' sizes match the plan (p ${formatPValue(srm.pValue)}).`}
        </Alert>
      </Stack>
    </Paper>
  );
}

function UpliftSection({ comparisons, names, final }: { comparisons: VariantComparison[]; names: Map<string, string>; final: boolean }) {
  const [metric, setMetric] = useState<'revenuePerCustomer' | 'purchaseRate'>('revenuePerCustomer');
  const what = metric === 'revenuePerCustomer' ? 'revenue per customer' : 'purchase rate';
  const format = (value: number) => (metric === 'revenuePerCustomer' ? formatMoney(value) : formatPercent(value, 2));
  const points = upliftPoints(
    comparisons.map((comparison) => ({ groupId: comparison.key, estimate: comparison[metric] })),
    names,
  );
  return (
    <Paper withBorder p="md" component="section" aria-labelledby="uplift-title">
      <Stack>
        <Group justify="space-between">
          <Title order={3} size="h4" id="uplift-title">
            Uplift against the control group
          </Title>
          <SegmentedControl
            aria-label="Measure"
            value={metric}
            onChange={(value) => setMetric(value)}
            data={[
              { value: 'revenuePerCustomer', label: 'Revenue per customer' },
              { value: 'purchaseRate', label: 'Purchase rate' },
            ]}
          />
        </Group>
        <Table aria-label={`Uplift in ${what}`}>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Variant</Table.Th>
              <Table.Th ta="right">Variant</Table.Th>
              <Table.Th ta="right">Control</Table.Th>
              <Table.Th ta="right">Difference</Table.Th>
              <Table.Th ta="right">95 % interval</Table.Th>
              <Table.Th ta="right">p-value</Table.Th>
              <Table.Th ta="right">Incremental revenue (95 %)</Table.Th>
              <Table.Th ta="right">Detectable effect</Table.Th>
              <Table.Th>Verdict</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {comparisons.map((comparison) => {
              const estimate: MetricComparison = comparison[metric];
              const mde = comparison.minimumDetectableEffect[metric];
              const incremental = comparison.incrementalRevenue;
              return (
                <Table.Tr key={comparison.key}>
                  <Table.Td>{comparison.name}</Table.Td>
                  <Table.Td ta="right">{format(estimate.treatment)}</Table.Td>
                  <Table.Td ta="right">{format(estimate.control)}</Table.Td>
                  <Table.Td ta="right">
                    {format(estimate.difference)}
                    {estimate.relative !== null ? ` (${formatPercent(estimate.relative)})` : ''}
                  </Table.Td>
                  <Table.Td ta="right">{estimate.ciLow !== null && estimate.ciHigh !== null ? `${format(estimate.ciLow)} to ${format(estimate.ciHigh)}` : '–'}</Table.Td>
                  <Table.Td ta="right">{formatPValue(estimate.pValue)}</Table.Td>
                  <Table.Td ta="right">
                    {formatMoney(incremental.value)}
                    {incremental.ciLow !== null && incremental.ciHigh !== null ? ` (${formatMoney(incremental.ciLow)} to ${formatMoney(incremental.ciHigh)})` : ''}
                  </Table.Td>
                  <Table.Td ta="right">{mde === null ? '–' : `±${format(mde)}`}</Table.Td>
                  <Table.Td>{estimate.status === 'ok' ? verdictInWords(estimate, what, final) : `No verdict: ${estimate.status.replace(/_/g, ' ')}.${estimate.reason ? ` ${estimate.reason}` : ''}`}</Table.Td>
                </Table.Tr>
              );
            })}
          </Table.Tbody>
        </Table>
        {points.length > 0 && (
          <div role="img" aria-label={`Difference in ${what} per variant against control, with its 95 % interval`} style={{ height: 60 + points.length * 50 }}>
            <ResponsiveContainer>
              <ScatterChart margin={{ top: 10, right: 30, bottom: 10, left: 30 }}>
                <CartesianGrid strokeDasharray="3 3" horizontal={false} />
                <XAxis type="number" dataKey="difference" tickFormatter={format} domain={[(min: number) => Math.min(min, ...points.map((point) => point.ciLow)), (max: number) => Math.max(max, ...points.map((point) => point.ciHigh))]} />
                <YAxis type="category" dataKey="name" width={80} />
                <ReferenceLine x={0} stroke="#495057" />
                <Tooltip formatter={(value) => format(Number(value))} />
                <Scatter data={points} fill="#1864ab" name="difference" isAnimationActive={false}>
                  <ErrorBar dataKey="interval" direction="x" width={8} strokeWidth={2} stroke="#1864ab" />
                </Scatter>
              </ScatterChart>
            </ResponsiveContainer>
          </div>
        )}
      </Stack>
    </Paper>
  );
}

function ProgrammeSection({ programme, final }: { programme: NonNullable<Analysis['programme']>; final: boolean }) {
  return (
    <Paper withBorder p="md" component="section" aria-labelledby="programme-title">
      <Title order={3} size="h4" id="programme-title" mb="xs">
        The whole programme against the global control group
      </Title>
      {!programme.available || !programme.contacted || !programme.globalControl ? (
        <Text c="dimmed">{programme.reason ?? 'Not available.'}</Text>
      ) : (
        <Text size="sm">
          Contacted customers {formatInteger(programme.contacted.size)}: {formatMoney(programme.contacted.revenue.perCustomer)} per customer; global control group {formatInteger(programme.globalControl.size)}:{' '}
          {formatMoney(programme.globalControl.revenue.perCustomer)} per customer. {verdictInWords(programme.revenuePerCustomer ?? undefined, 'revenue per customer', final)}
        </Text>
      )}
    </Paper>
  );
}

function FunnelSection({ analysis }: { analysis: Analysis }) {
  const [metric, setMetric] = useState<'delivered' | 'opens' | 'clicks' | 'unsubscribes'>('opens');
  const funnel = funnelRows(analysis.groups);
  const daily = dailyRows(analysis.groups, metric);
  if (funnel.series.length === 0) return null;
  const series = funnel.series.map((name, index) => ({ name, color: COLOURS[index % COLOURS.length] }));
  if (daily.length === 0) {
    return (
      <Paper withBorder p="md" component="section" aria-labelledby="funnel-title">
        <Title order={3} size="h4" id="funnel-title" mb="xs">
          E-mail funnel per variant
        </Title>
        <Text c="dimmed">No SmartFocus figures yet: the first snapshot comes once the send has ended.</Text>
      </Paper>
    );
  }
  return (
    <SimpleGrid cols={{ base: 1, lg: 2 }}>
      <Paper withBorder p="md" component="section" aria-labelledby="funnel-title">
        <Title order={3} size="h4" id="funnel-title" mb="xs">
          E-mail funnel per variant
        </Title>
        <BarChart h={260} data={funnel.rows} dataKey="stage" series={series} withLegend valueFormatter={(value) => formatInteger(value)} />
      </Paper>
      <Paper withBorder p="md" component="section" aria-labelledby="daily-title">
        <Group justify="space-between" mb="xs">
          <Title order={3} size="h4" id="daily-title">
            Over the week
          </Title>
          <SegmentedControl
            size="xs"
            aria-label="Daily figure"
            value={metric}
            onChange={(value) => setMetric(value)}
            data={[
              { value: 'delivered', label: 'Delivered' },
              { value: 'opens', label: 'Opens' },
              { value: 'clicks', label: 'Clicks' },
              { value: 'unsubscribes', label: 'Unsubscribes' },
            ]}
          />
        </Group>
        <LineChart h={260} data={daily} dataKey="day" series={series} withLegend curveType="linear" valueFormatter={(value) => formatInteger(value)} />
      </Paper>
    </SimpleGrid>
  );
}
