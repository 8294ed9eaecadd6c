import { Alert, Badge, Button, Checkbox, Drawer, FileInput, Group, Paper, Progress, SegmentedControl, Select, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { api } from '../../api/client';
import { QueryState } from '../../ui/query-state';
import { formatDateTime, formatInteger } from '../../ui/format';
import { uploadImport, type ImportList, type ImportReport } from './imports-api';

const STATUS_COLOURS: Record<string, string> = { applied: 'green', failed: 'red', refused: 'red', unchanged: 'gray', running: 'blue' };

export function ImportsPage() {
  const [dataset, setDataset] = useState<'all' | 'customers' | 'transactions'>('all');
  const [openId, setOpenId] = useState<string>();
  const query = useQuery({
    queryKey: ['imports', dataset],
    queryFn: ({ signal }) => api<ImportList>(`/api/profile-import/imports?limit=50${dataset === 'all' ? '' : `&dataset=${dataset}`}`, { signal }),
    refetchInterval: 10_000,
  });
  return (
    <Stack>
      <Title order={2}>Imports</Title>
      <UploadForm />
      <Group justify="space-between">
        <Title order={3} size="h4">
          Recent imports
        </Title>
        <SegmentedControl
          aria-label="Dataset shown"
          value={dataset}
          onChange={(value) => setDataset(value)}
          data={[
            { value: 'all', label: 'All' },
            { value: 'customers', label: 'Customers' },
            { value: 'transactions', label: 'Transactions' },
          ]}
        />
      </Group>
      <QueryState query={query} what="the imports">
        {(list) =>
          list.items.length === 0 ? (
            <Text c="dimmed">No import yet.</Text>
          ) : (
            <Table.ScrollContainer minWidth={800}>
              <Table striped highlightOnHover aria-label="Recent imports">
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>File</Table.Th>
                    <Table.Th>Dataset</Table.Th>
                    <Table.Th>As of</Table.Th>
                    <Table.Th>Status</Table.Th>
                    <Table.Th ta="right">Rows read</Table.Th>
                    <Table.Th ta="right">Loaded</Table.Th>
                    <Table.Th ta="right">Rejected</Table.Th>
                    <Table.Th>Started</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {list.items.map((item) => (
                    <Table.Tr key={item.id}>
                      <Table.Td>
                        <Button variant="subtle" size="compact-sm" onClick={() => setOpenId(item.id)} aria-label={`Details of ${item.fileName}`}>
                          {item.fileName}
                        </Button>
                      </Table.Td>
                      <Table.Td>{item.dataset}</Table.Td>
                      <Table.Td>{item.asOfDate}</Table.Td>
                      <Table.Td>
                        <Group gap={4}>
                          <Badge color={STATUS_COLOURS[item.status] ?? 'gray'} variant="light">
                            {item.status}
                          </Badge>
                          {item.suspicious && (
                            <Badge color="orange" variant="light">
                              suspicious
                            </Badge>
                          )}
                        </Group>
                      </Table.Td>
                      <Table.Td ta="right">{formatInteger(item.rows.read)}</Table.Td>
                      <Table.Td ta="right">{formatInteger(item.rows.loaded)}</Table.Td>
                      <Table.Td ta="right">{formatInteger(item.rows.rejected)}</Table.Td>
                      <Table.Td>{formatDateTime(item.timings.startedAt)}</Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </Table.ScrollContainer>
          )
        }
      </QueryState>
      <Drawer opened={openId !== undefined} onClose={() => setOpenId(undefined)} position="right" size="lg" title="Import report">
        {openId && <ImportDetail id={openId} />}
      </Drawer>
    </Stack>
  );
}

function ImportDetail({ id }: { id: string }) {
  const query = useQuery({ queryKey: ['import', id], queryFn: ({ signal }) => api<ImportReport>(`/api/profile-import/imports/${id}?rejectionsLimit=200`, { signal }) });
  return (
    <QueryState query={query} what="the import report">
      {(report) => (
        <Stack>
          <Text>
            <b>{report.fileName}</b> ({report.dataset}, as of {report.asOfDate}): {report.status}
          </Text>
          {report.message && <Alert color={report.status === 'applied' ? 'blue' : 'red'}>{report.message}</Alert>}
          {report.volumeCheck && <Alert color="orange">{report.volumeCheck}</Alert>}
          <Text size="sm">
            Read {formatInteger(report.rows.read)}, loaded {formatInteger(report.rows.loaded)} (new {formatInteger(report.rows.inserted)}, changed {formatInteger(report.rows.updated)}, unchanged{' '}
            {formatInteger(report.rows.unchanged)}), rejected {formatInteger(report.rows.rejected)}.
          </Text>
          {report.droppedColumns.length > 0 && <Text size="sm">Personal-data columns dropped unread: {report.droppedColumns.join(', ')}</Text>}
          {report.ignoredColumns.length > 0 && <Text size="sm">Columns not declared, not stored: {report.ignoredColumns.join(', ')}</Text>}
          <Title order={3} size="h5">
            Rejected rows
          </Title>
          {!report.rejections || report.rejections.items.length === 0 ? (
            <Text c="dimmed">None.</Text>
          ) : (
            <Table aria-label="Rejected rows">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>Line</Table.Th>
                  <Table.Th>Column</Table.Th>
                  <Table.Th>Reason</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {report.rejections.items.map((row, index) => (
                  <Table.Tr key={`${row.line}-${index}`}>
                    <Table.Td>{row.line}</Table.Td>
                    <Table.Td>{row.column ?? '–'}</Table.Td>
                    <Table.Td>{row.reason}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          )}
          {report.rejections && report.rejections.total > report.rejections.items.length && (
            <Text size="sm" c="dimmed">
              Showing {report.rejections.items.length} of {formatInteger(report.rejections.total)} rejected rows kept with details.
            </Text>
          )}
        </Stack>
      )}
    </QueryState>
  );
}

function UploadForm() {
  const queryClient = useQueryClient();
  const [dataset, setDataset] = useState<'customers' | 'transactions'>('customers');
  const [file, setFile] = useState<File | null>(null);
  const [asOf, setAsOf] = useState('');
  const [force, setForce] = useState(false);
  const [progress, setProgress] = useState<number>();
  const [result, setResult] = useState<{ ok: boolean; text: string }>();

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!file) return;
    setProgress(0);
    setResult(undefined);
    uploadImport({ dataset, file, asOf: asOf || undefined, force }, setProgress)
      .then((report) => setResult({ ok: report.status === 'applied', text: `${report.fileName}: ${report.status}${report.message ? ` (${report.message})` : ''}, ${formatInteger(report.rows.loaded)} rows loaded, ${formatInteger(report.rows.rejected)} rejected` }))
      .catch((error: unknown) => setResult({ ok: false, text: `${file.name}: ${error instanceof Error ? error.message : String(error)}` }))
      .finally(() => {
        setProgress(undefined);
        void queryClient.invalidateQueries({ queryKey: ['imports'] });
      });
  };

  return (
    <Paper withBorder p="md">
      <form onSubmit={submit} aria-labelledby="upload-title">
        <Stack gap="sm">
          <Title order={3} size="h4" id="upload-title">
            Upload a file
          </Title>
          <Group align="flex-end" wrap="wrap">
            <Select label="Dataset" data={['customers', 'transactions']} value={dataset} onChange={(value) => value && setDataset(value)} allowDeselect={false} w={180} />
            <FileInput label="File (CSV, optionally .gz)" placeholder="Choose a file" accept=".csv,.gz,text/csv,application/gzip" value={file} onChange={setFile} w={280} required clearable />
            <TextInput label="As of (optional)" type="date" value={asOf} onChange={(event) => setAsOf(event.currentTarget.value)} w={170} description="Default: from the file name" />
            <Checkbox label="Apply even if the same file was applied before" checked={force} onChange={(event) => setForce(event.currentTarget.checked)} />
            <Button type="submit" disabled={!file || progress !== undefined}>
              Upload
            </Button>
          </Group>
          {progress !== undefined && (
            <Stack gap={4}>
              <Progress value={progress * 100} aria-label="Upload progress" animated={progress >= 1} />
              <Text size="sm" role="status">
                {progress < 1 ? `Sending… ${Math.round(progress * 100)} %` : 'Sent; profile-import is checking and applying the file…'}
              </Text>
            </Stack>
          )}
          {result && (
            <Alert color={result.ok ? 'green' : 'red'} role={result.ok ? 'status' : 'alert'} title={result.ok ? 'Import applied' : 'Import not applied'}>
              {result.text}
            </Alert>
          )}
        </Stack>
      </form>
    </Paper>
  );
}
