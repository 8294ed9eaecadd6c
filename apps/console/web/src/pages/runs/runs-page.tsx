import { Alert, Anchor, Badge, Button, Group, Paper, Select, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Link } from 'react-router';
import { api } from '../../api/client';
import { formatDateTime, formatInteger } from '../../ui/format';
import { QueryState } from '../../ui/query-state';
import { EXCLUSION_LABELS, type Dispatch, type DryRun, type ExecutionReport, type RunReport, type RunSummary } from './runs-api';

const STATUS_COLOURS: Record<string, string> = { completed: 'green', scheduled: 'green', failed: 'red', held: 'orange', running: 'blue', pending: 'gray', dispatching: 'blue', receiving: 'gray', control: 'gray' };

export function RunsPage() {
  const runs = useQuery({ queryKey: ['runs'], queryFn: ({ signal }) => api<RunSummary[]>('/api/segmentation/runs?limit=30', { signal }) });
  const [chosen, setChosen] = useState<string | null>(null);
  const runDate = chosen ?? runs.data?.[0]?.runDate ?? null;
  return (
    <Stack>
      <Title order={2}>Nightly runs</Title>
      <DryRunPanel />
      <QueryState query={runs} what="the runs">
        {(list) =>
          list.length === 0 ? (
            <Text c="dimmed">No run yet.</Text>
          ) : (
            <Stack>
              <Select
                label="Run date"
                w={240}
                data={list.map((run) => ({ value: run.runDate, label: `${run.runDate} (${run.status})` }))}
                value={runDate}
                onChange={setChosen}
                allowDeselect={false}
              />
              {runDate && <RunReportView runDate={runDate} />}
            </Stack>
          )
        }
      </QueryState>
    </Stack>
  );
}

function RunReportView({ runDate }: { runDate: string }) {
  const report = useQuery({ queryKey: ['run', runDate], queryFn: ({ signal }) => api<RunReport>(`/api/segmentation/runs/${runDate}`, { signal }), refetchInterval: 15_000 });
  return (
    <QueryState query={report} what={`the run of ${runDate}`}>
      {(run) => (
        <Stack>
          <Group>
            <Badge color={STATUS_COLOURS[run.status] ?? 'gray'} size="lg" variant="light">
              {run.status}
            </Badge>
            <Text size="sm">
              Started by {run.trigger}; model as of {run.modelDate}; finished {formatDateTime(run.finishedAt)}
            </Text>
          </Group>
          {run.heldReason && (
            <Alert color="orange" title="Held">
              {run.heldReason}
            </Alert>
          )}
          {run.error && (
            <Alert color="red" title="Failed">
              {run.error}
            </Alert>
          )}
          {run.executions.length === 0 && <Text c="dimmed">No campaign was due.</Text>}
          {run.executions.map((execution) => (
            <ExecutionView key={execution.executionId} execution={execution} />
          ))}
        </Stack>
      )}
    </QueryState>
  );
}

function ExecutionView({ execution }: { execution: ExecutionReport }) {
  const dispatches = useQuery({
    queryKey: ['dispatches', execution.executionId],
    queryFn: ({ signal }) => api<{ items: Dispatch[] }>(`/api/smartfocus-dispatch/dispatches?executionId=${execution.executionId}`, { signal }),
    refetchInterval: 15_000,
  });
  const byGroup = new Map((dispatches.data?.items ?? []).map((dispatch) => [dispatch.groupId, dispatch]));
  const excluded = Object.entries(execution.excluded).filter(([, count]) => count > 0);
  return (
    <Paper withBorder p="md" component="section" aria-label={`Campaign ${execution.campaignName}`}>
      <Stack gap="xs">
        <Group justify="space-between">
          <Title order={3} size="h4">
            {execution.campaignName}
          </Title>
          <Anchor component={Link} to={`/executions/${execution.executionId}/analysis`}>
            Analysis of this execution
          </Anchor>
        </Group>
        <Text size="sm">
          Priority {execution.priority}; sent {formatDateTime(execution.scheduledAt)}. Targeted {formatInteger(execution.targeted)}, assigned {formatInteger(execution.assigned)}, control{' '}
          {formatInteger(execution.control)}.
        </Text>
        {excluded.length > 0 && (
          <Text size="sm">
            Excluded: {excluded.map(([reason, count]) => `${EXCLUSION_LABELS[reason] ?? reason} ${formatInteger(count)}`).join('; ')}
          </Text>
        )}
        {dispatches.isError && (
          <Alert color="orange" role="alert">
            Dispatch details unavailable: {dispatches.error.message}
          </Alert>
        )}
        <Table aria-label={`Groups of ${execution.campaignName}`}>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Group</Table.Th>
              <Table.Th ta="right">Customers</Table.Th>
              <Table.Th>Dispatch</Table.Th>
              <Table.Th ta="right">Recipients (matched)</Table.Th>
              <Table.Th>Last error</Table.Th>
              <Table.Th />
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {execution.groups.map((group) => {
              const dispatch = byGroup.get(group.groupId);
              const state = dispatch?.state ?? group.dispatch.status;
              return (
                <Table.Tr key={group.groupId}>
                  <Table.Td>
                    {group.name} {group.kind === 'control' && <Badge variant="outline">control</Badge>}
                  </Table.Td>
                  <Table.Td ta="right">{formatInteger(group.size)}</Table.Td>
                  <Table.Td>
                    <Badge color={STATUS_COLOURS[state] ?? 'gray'} variant="light">
                      {group.kind === 'control' ? 'not sent' : state}
                    </Badge>
                    {dispatch?.warnings.map((warning) => (
                      <Text size="xs" c="orange.9" key={warning}>
                        {warning}
                      </Text>
                    ))}
                  </Table.Td>
                  <Table.Td ta="right">{dispatch?.recipients === null || dispatch === undefined || group.kind === 'control' ? '–' : `${formatInteger(dispatch.recipients)} (${formatInteger(dispatch.matchedRecipients)})`}</Table.Td>
                  <Table.Td>{dispatch?.lastError ? `${dispatch.lastError.step}: ${dispatch.lastError.message}` : '–'}</Table.Td>
                  <Table.Td>{dispatch?.state === 'failed' && <RetryButton dispatch={dispatch} groupName={group.name} />}</Table.Td>
                </Table.Tr>
              );
            })}
          </Table.Tbody>
        </Table>
      </Stack>
    </Paper>
  );
}

function RetryButton({ dispatch, groupName }: { dispatch: Dispatch; groupName: string }) {
  const queryClient = useQueryClient();
  const retry = useMutation({
    mutationFn: () => api<Dispatch>(`/api/smartfocus-dispatch/dispatches/${dispatch.dispatchId}/retry`, { method: 'POST' }),
    onSettled: () => queryClient.invalidateQueries({ queryKey: ['dispatches', dispatch.executionId] }),
  });
  return (
    <Stack gap={2}>
      <Button size="compact-sm" variant="light" color="orange" loading={retry.isPending} onClick={() => retry.mutate()} aria-label={`Retry the dispatch of ${groupName}`}>
        Retry
      </Button>
      {retry.isError && (
        <Text size="xs" c="red.8" role="alert">
          {retry.error.message}
        </Text>
      )}
    </Stack>
  );
}

function DryRunPanel() {
  const [runDate, setRunDate] = useState(() => new Date().toISOString().slice(0, 10));
  const dryRun = useMutation({ mutationFn: () => api<DryRun>('/api/segmentation/runs/preview', { method: 'POST', body: { runDate } }) });
  return (
    <Paper withBorder p="md" component="section" aria-labelledby="dry-run-title">
      <Stack gap="xs">
        <Title order={3} size="h4" id="dry-run-title">
          Dry run
        </Title>
        <Group align="flex-end">
          <TextInput type="date" label="Dry-run date" value={runDate} onChange={(event) => setRunDate(event.currentTarget.value)} w={180} />
          <Button onClick={() => dryRun.mutate()} loading={dryRun.isPending}>
            Compute tonight&apos;s lists
          </Button>
          <Text size="sm" c="dimmed">
            Nothing is published.
          </Text>
        </Group>
        {dryRun.isError && (
          <Alert color="red" role="alert" title="Dry run failed">
            {dryRun.error.message}
          </Alert>
        )}
        {dryRun.data && (
          <Table aria-label="Dry run" striped>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Campaign</Table.Th>
                <Table.Th ta="right">Targeted</Table.Th>
                <Table.Th>Groups</Table.Th>
                <Table.Th ta="right">New</Table.Th>
                <Table.Th ta="right">Dropped</Table.Th>
                <Table.Th ta="right">Unchanged</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {dryRun.data.executions.length === 0 && (
                <Table.Tr>
                  <Table.Td colSpan={6}>No campaign is due on {dryRun.data.runDate}.</Table.Td>
                </Table.Tr>
              )}
              {dryRun.data.executions.map((execution) => (
                <Table.Tr key={execution.executionId}>
                  <Table.Td>{execution.campaignName}</Table.Td>
                  <Table.Td ta="right">{formatInteger(execution.targeted)}</Table.Td>
                  <Table.Td>{execution.groups.map((group) => `${group.name} ${formatInteger(group.size)}`).join(', ')}</Table.Td>
                  <Table.Td ta="right">{formatInteger(execution.difference?.new)}</Table.Td>
                  <Table.Td ta="right">{formatInteger(execution.difference?.dropped)}</Table.Td>
                  <Table.Td ta="right">{execution.difference?.lastRunDate ? formatInteger(execution.difference.unchanged) : 'first run'}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
      </Stack>
    </Paper>
  );
}
