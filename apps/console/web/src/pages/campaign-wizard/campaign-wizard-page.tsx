import { Alert, Anchor, Badge, Button, Checkbox, Chip, Group, NumberInput, Paper, SegmentedControl, Select, SimpleGrid, Stack, Stepper, Table, Text, TextInput, Title } from '@mantine/core';
import { BarChart } from '@mantine/charts';
import { useDebouncedValue } from '@mantine/hooks';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import { Link } from 'react-router';
import { api, ApiError } from '../../api/client';
import { fieldErrors } from '../../api/field-errors';
import { stageBars } from '../../charts/chart-data';
import { RuleBuilder } from '../../target-groups/rule-builder';
import { emptyGroup, incompleteConditions, toWire, type GroupNode } from '../../target-groups/rule-tree';
import { formatInteger, formatPercent } from '../../ui/format';
import { QueryState } from '../../ui/query-state';
import { minimumDetectableEffect } from './minimum-detectable-effect';
import { KPI_LABELS, WEEKDAYS, type AbTestKpi, type Campaign, type CampaignBody, type CatalogueField, type Preview, type Recurrence, type TargetGroup, type TemplateMessage } from './wizard-api';

const FIELDS = ['name', 'targetGroupId', 'templateMessageId', 'variants', 'sendTime', 'timeZone', 'recurrence', 'controlShare', 'priority', 'actionDurationDays', 'abTestKpi'] as const;
type Field = (typeof FIELDS)[number];
const ALIASES = { 'time zone': 'timeZone', 'target group': 'targetGroupId', variant: 'variants', weekday: 'recurrence', weight: 'variants' };
const STEP_OF: Record<Field, number> = { targetGroupId: 0, templateMessageId: 1, variants: 1, abTestKpi: 1, name: 2, sendTime: 2, timeZone: 2, recurrence: 2, controlShare: 2, priority: 2, actionDurationDays: 2 };

type Variant = { name: string; templateMessageId: string | null; weight: number };
type Errors = { byField: Partial<Record<Field | 'targetGroupName', string>>; other: string[]; rule: Record<string, string> };
const NO_ERRORS: Errors = { byField: {}, other: [], rule: {} };

const today = (): string => new Date().toISOString().slice(0, 10);
const localTimeZone = (): string => Intl.DateTimeFormat().resolvedOptions().timeZone;
// Intl lists the IANA zones without UTC, a browser's own zone on many servers and laptops: offered first.
const TIME_ZONES = ['UTC', ...Intl.supportedValuesOf('timeZone').filter((zone) => zone !== 'UTC')];

export function CampaignWizardPage() {
  const queryClient = useQueryClient();
  const [step, setStep] = useState(0);
  const [errors, setErrors] = useState<Errors>(NO_ERRORS);
  const [saving, setSaving] = useState(false);
  const [created, setCreated] = useState<Campaign>();

  // Step 1: target group
  const [targetMode, setTargetMode] = useState<'new' | 'existing'>('new');
  const [targetGroupId, setTargetGroupId] = useState<string | null>(null);
  const [targetGroupName, setTargetGroupName] = useState('');
  const [tree, setTree] = useState<GroupNode>(() => emptyGroup());
  // Step 2: message(s)
  const [abTest, setAbTest] = useState(false);
  const [templateMessageId, setTemplateMessageId] = useState<string | null>(null);
  const [variants, setVariants] = useState<Variant[]>([
    { name: 'A', templateMessageId: null, weight: 1 },
    { name: 'B', templateMessageId: null, weight: 1 },
  ]);
  const [abTestKpi, setAbTestKpi] = useState<AbTestKpi>('revenue_per_customer');
  // Step 3: schedule and measurement
  const [name, setName] = useState('');
  const [recurrenceType, setRecurrenceType] = useState<Recurrence['type']>('once');
  const [date, setDate] = useState(today);
  const [endDate, setEndDate] = useState('');
  const [weekdays, setWeekdays] = useState<string[]>(['mon']);
  const [sendTime, setSendTime] = useState('09:30');
  const [timeZone, setTimeZone] = useState(localTimeZone);
  const [controlSharePercent, setControlSharePercent] = useState(10);
  const [priority, setPriority] = useState(10);
  const [actionDurationDays, setActionDurationDays] = useState(7);
  const [baselinePercent, setBaselinePercent] = useState(5);

  const fields = useQuery({ queryKey: ['fields'], queryFn: ({ signal }) => api<CatalogueField[]>('/api/segmentation/target-groups/fields', { signal }) });
  const groups = useQuery({ queryKey: ['target-groups'], queryFn: ({ signal }) => api<TargetGroup[] | { items: TargetGroup[] }>('/api/segmentation/target-groups', { signal }) });
  const messages = useQuery({ queryKey: ['messages'], queryFn: ({ signal }) => api<TemplateMessage[]>('/api/smartfocus-dispatch/messages', { signal }) });

  const wireRule = useMemo(() => toWire(tree), [tree]);
  const missing = useMemo(() => incompleteConditions(tree), [tree]);
  const [debouncedRule] = useDebouncedValue(wireRule, 400);
  const preview = useQuery({
    queryKey: ['preview', targetMode, targetMode === 'new' ? debouncedRule : targetGroupId],
    enabled: targetMode === 'new' ? missing.length === 0 : targetGroupId !== null,
    retry: false,
    queryFn: ({ signal }) =>
      targetMode === 'new'
        ? api<Preview>('/api/segmentation/target-groups/preview', { method: 'POST', body: { rule: debouncedRule }, signal })
        : api<Preview>(`/api/segmentation/target-groups/${targetGroupId}/preview`, { signal }),
  });
  const previewRuleErrors = preview.error instanceof ApiError ? ruleErrorsOf(preview.error) : {};

  const recurrence = (): Recurrence =>
    recurrenceType === 'once'
      ? { type: 'once', date }
      : recurrenceType === 'daily'
        ? { type: 'daily', startDate: date, ...(endDate ? { endDate } : {}) }
        : { type: 'weekdays', weekdays, startDate: date, ...(endDate ? { endDate } : {}) };

  const body = (groupId: string): CampaignBody => ({
    name,
    targetGroupId: groupId,
    ...(abTest ? { variants: variants.map((variant) => ({ ...variant, templateMessageId: variant.templateMessageId ?? '' })), abTestKpi } : { templateMessageId: templateMessageId ?? '' }),
    sendTime,
    timeZone,
    recurrence: recurrence(),
    controlShare: controlSharePercent / 100,
    priority,
    actionDurationDays,
  });

  const stepProblems = (index: number): string[] => {
    if (index === 0) {
      if (targetMode === 'existing') return targetGroupId ? [] : ['Choose a target group'];
      return [...(targetGroupName.trim() ? [] : ['Give the new target group a name']), ...(tree.children.length === 0 ? ['Add at least one condition'] : []), ...missing];
    }
    if (index === 1) {
      if (!abTest) return templateMessageId ? [] : ['Choose the message'];
      return variants.some((variant) => !variant.templateMessageId || !variant.name.trim()) ? ['Every variant needs a name and a message'] : [];
    }
    if (index === 2) return name.trim() ? [] : ['Give the campaign a name'];
    return [];
  };
  const [stepHint, setStepHint] = useState<string[]>([]);
  const next = () => {
    const problems = stepProblems(step);
    setStepHint(problems);
    if (problems.length === 0) setStep((current) => current + 1);
  };

  const submit = async () => {
    setSaving(true);
    setErrors(NO_ERRORS);
    let groupId = targetGroupId;
    try {
      if (targetMode === 'new') {
        try {
          const group = await api<TargetGroup>('/api/segmentation/target-groups', { method: 'POST', body: { name: targetGroupName, rule: wireRule } });
          groupId = group.id;
          setTargetMode('existing');
          setTargetGroupId(group.id);
          void queryClient.invalidateQueries({ queryKey: ['target-groups'] });
        } catch (error) {
          const placed = fieldErrors(error, ['name', 'rule']);
          setErrors({ byField: { targetGroupName: placed.byField['name'] }, other: placed.other, rule: error instanceof ApiError ? ruleErrorsOf(error) : {} });
          setStep(0);
          return;
        }
      }
      try {
        setCreated(await api<Campaign>('/api/segmentation/campaigns', { method: 'POST', body: body(groupId!) }));
        void queryClient.invalidateQueries({ queryKey: ['campaigns'] });
      } catch (error) {
        const placed = fieldErrors(error, FIELDS, ALIASES);
        setErrors({ byField: placed.byField, other: placed.other, rule: {} });
        const steps = Object.keys(placed.byField).map((field) => STEP_OF[field as Field]);
        if (steps.length > 0) setStep(Math.min(...steps));
      }
    } finally {
      setSaving(false);
    }
  };

  const groupList = groups.data ? (Array.isArray(groups.data) ? groups.data : groups.data.items) : [];
  const messageOptions = (messages.data ?? []).map((message) => ({ value: message.id, label: `${message.name}${message.subject ? ` – ${message.subject}` : ''}` }));
  const messageName = (id: string | null) => messages.data?.find((message) => message.id === id)?.name ?? id ?? '–';
  const targetSize = preview.data?.count;
  const mde = targetSize === undefined ? undefined : minimumDetectableEffect(targetSize, controlSharePercent / 100, baselinePercent / 100);
  const err = errors.byField;

  if (created) {
    return (
      <Stack>
        <Title order={2}>Run campaign</Title>
        <Alert color="green" role="status" title="Campaign created">
          <Text>
            {created.name} is planned ({created.status}). It runs in the nightly run of its first send date.
          </Text>
          <Group mt="sm">
            <Anchor component={Link} to="/runs">
              See tonight&apos;s run
            </Anchor>
            <Anchor component={Link} to={`/campaigns/${created.id}/analysis`}>
              Its analysis
            </Anchor>
            <Button variant="default" size="xs" onClick={() => window.location.assign('/campaigns/new')}>
              Plan another
            </Button>
          </Group>
        </Alert>
      </Stack>
    );
  }

  return (
    <Stack>
      <Title order={2}>Run campaign</Title>
      {errors.other.length > 0 && (
        <Alert color="red" role="alert" title="The campaign was not saved">
          {errors.other.map((message) => (
            <Text size="sm" key={message}>
              {message}
            </Text>
          ))}
        </Alert>
      )}
      <Stepper active={step} onStepClick={setStep} allowNextStepsSelect={false} size="sm">
        <Stepper.Step label="Target group" description="Who receives it">
          <Stack mt="md">
            <SegmentedControl
              aria-label="Target group"
              value={targetMode}
              onChange={(value) => setTargetMode(value)}
              data={[
                { value: 'new', label: 'Build a new target group' },
                { value: 'existing', label: 'Use a saved target group' },
              ]}
              w="fit-content"
            />
            {targetMode === 'existing' ? (
              <QueryState query={groups} what="the target groups">
                {() => (
                  <Select
                    label="Saved target group"
                    placeholder="Choose"
                    searchable
                    data={groupList.map((group) => ({ value: group.id, label: group.name }))}
                    value={targetGroupId}
                    onChange={setTargetGroupId}
                    error={err.targetGroupId}
                    w={400}
                  />
                )}
              </QueryState>
            ) : (
              <>
                <TextInput label="Name of the new target group" value={targetGroupName} onChange={(event) => setTargetGroupName(event.currentTarget.value)} error={err.targetGroupName} w={400} required />
                <QueryState query={fields} what="the field catalogue">
                  {(catalogue) => <RuleBuilder fields={catalogue} value={tree} onChange={setTree} errors={{ ...previewRuleErrors, ...errors.rule }} />}
                </QueryState>
              </>
            )}
            <PreviewPanel preview={preview} waitingFor={targetMode === 'new' ? missing : targetGroupId ? [] : ['Choose a target group']} />
          </Stack>
        </Stepper.Step>

        <Stepper.Step label="Message" description="What they receive">
          <Stack mt="md">
            <Checkbox label="A/B test: several variants, each its own message" checked={abTest} onChange={(event) => setAbTest(event.currentTarget.checked)} />
            <QueryState query={messages} what="the SmartFocus messages">
              {() =>
                abTest ? (
                  <Stack>
                    {variants.map((variant, index) => (
                      <Group key={index} align="flex-end" role="group" aria-label={`Variant ${index + 1}`}>
                        <TextInput label="Variant name" aria-label={`Variant ${index + 1}: name`} w={120} value={variant.name} onChange={(event) => setVariants(replace(variants, index, { ...variant, name: event.currentTarget.value }))} />
                        <Select label="Message" aria-label={`Variant ${index + 1}: message`} w={380} searchable data={messageOptions} value={variant.templateMessageId} onChange={(id) => setVariants(replace(variants, index, { ...variant, templateMessageId: id }))} />
                        <NumberInput label="Weight" aria-label={`Variant ${index + 1}: weight`} w={90} min={0} max={1000} value={variant.weight} onChange={(weight) => setVariants(replace(variants, index, { ...variant, weight: Number(weight) || 0 }))} />
                        {variants.length > 2 && (
                          <Button variant="subtle" color="red" onClick={() => setVariants(variants.filter((_, other) => other !== index))} aria-label={`Remove variant ${index + 1}`}>
                            Remove
                          </Button>
                        )}
                      </Group>
                    ))}
                    {err.variants && (
                      <Text c="red.8" size="sm" role="alert">
                        {err.variants}
                      </Text>
                    )}
                    <Group>
                      <Button variant="light" size="xs" disabled={variants.length >= 10} onClick={() => setVariants([...variants, { name: String.fromCharCode(65 + variants.length), templateMessageId: null, weight: 1 }])}>
                        Add variant
                      </Button>
                    </Group>
                    <Select
                      label="KPI that decides the A/B test"
                      w={300}
                      data={Object.entries(KPI_LABELS).map(([value, label]) => ({ value, label }))}
                      value={abTestKpi}
                      onChange={(value) => value && setAbTestKpi(value as AbTestKpi)}
                      allowDeselect={false}
                      error={err.abTestKpi}
                    />
                    <MessagePreviews ids={variants.map((variant) => variant.templateMessageId)} />
                  </Stack>
                ) : (
                  <Stack>
                    <Select
                      label="SmartFocus message"
                      description="Only messages named optimove_… are offered; each send gets its own copy"
                      placeholder="Choose"
                      searchable
                      w={480}
                      data={messageOptions}
                      value={templateMessageId}
                      onChange={setTemplateMessageId}
                      error={err.templateMessageId}
                      nothingFoundMessage="No optimove_ message"
                    />
                    <MessagePreviews ids={[templateMessageId]} />
                  </Stack>
                )
              }
            </QueryState>
          </Stack>
        </Stepper.Step>

        <Stepper.Step label="Schedule" description="When, and how it is measured">
          <SimpleGrid cols={{ base: 1, md: 2 }} mt="md" spacing="lg">
            <Stack>
              <TextInput label="Campaign name" value={name} onChange={(event) => setName(event.currentTarget.value)} error={err.name} required />
              <Select
                label="Recurrence"
                data={[
                  { value: 'once', label: 'Once' },
                  { value: 'daily', label: 'Every day' },
                  { value: 'weekdays', label: 'On chosen weekdays' },
                ]}
                value={recurrenceType}
                onChange={(value) => value && setRecurrenceType(value)}
                allowDeselect={false}
                error={err.recurrence}
              />
              <Group grow>
                <TextInput type="date" label={recurrenceType === 'once' ? 'Send date' : 'First day'} value={date} onChange={(event) => setDate(event.currentTarget.value)} />
                {recurrenceType !== 'once' && <TextInput type="date" label="Last day (optional)" value={endDate} onChange={(event) => setEndDate(event.currentTarget.value)} />}
              </Group>
              {recurrenceType === 'weekdays' && (
                <Chip.Group multiple value={weekdays} onChange={setWeekdays}>
                  <Group gap={4} role="group" aria-label="Weekdays">
                    {WEEKDAYS.map((day) => (
                      <Chip key={day} value={day} size="xs">
                        {day}
                      </Chip>
                    ))}
                  </Group>
                </Chip.Group>
              )}
              <Group grow>
                <TextInput type="time" label="Send time" value={sendTime} onChange={(event) => setSendTime(event.currentTarget.value)} error={err.sendTime} />
                <Select label="Time zone" searchable data={TIME_ZONES} value={timeZone} onChange={(value) => value && setTimeZone(value)} allowDeselect={false} error={err.timeZone} />
              </Group>
            </Stack>
            <Stack>
              <NumberInput label="Control group (% held out)" min={0} max={50} step={1} value={controlSharePercent} onChange={(value) => setControlSharePercent(Number(value) || 0)} error={err.controlShare} suffix=" %" />
              <Paper withBorder p="sm" bg="gray.0">
                <Text size="sm" fw={600}>
                  Smallest effect this campaign can detect
                </Text>
                <NumberInput label="Purchase rate expected without the campaign" size="xs" w={260} min={0.1} max={90} step={0.5} decimalScale={1} value={baselinePercent} onChange={(value) => setBaselinePercent(Number(value) || 0)} suffix=" %" />
                <Text size="sm" mt="xs" aria-live="polite">
                  {targetSize === undefined
                    ? 'Preview the target group to see it.'
                    : mde === undefined
                      ? 'No control group: the campaign cannot be measured against one.'
                      : `With ${formatInteger(targetSize)} customers and ${controlSharePercent} % held out: a change in purchase rate of ±${formatPercent(mde, 2)} points (5 % significance, 80 % power).`}
                </Text>
              </Paper>
              <Group grow>
                <NumberInput label="Priority (1 = first)" min={1} value={priority} onChange={(value) => setPriority(Number(value) || 1)} error={err.priority} />
                <NumberInput label="Action duration (days)" description="Measured, and kept out of other campaigns" min={1} max={365} value={actionDurationDays} onChange={(value) => setActionDurationDays(Number(value) || 1)} error={err.actionDurationDays} />
              </Group>
            </Stack>
          </SimpleGrid>
        </Stepper.Step>

        <Stepper.Step label="Review" description="Check and create">
          <Paper withBorder p="md" mt="md">
            <Table aria-label="Campaign summary" variant="vertical" layout="fixed">
              <Table.Tbody>
                <Row label="Name" value={name} />
                <Row label="Target group" value={targetMode === 'new' ? `${targetGroupName} (new)` : (groupList.find((group) => group.id === targetGroupId)?.name ?? '–')} />
                <Row label="Customers targeted today" value={targetSize === undefined ? '–' : formatInteger(targetSize)} />
                <Row label={abTest ? 'Variants' : 'Message'} value={abTest ? variants.map((variant) => `${variant.name}: ${messageName(variant.templateMessageId)} (weight ${variant.weight})`).join('; ') : messageName(templateMessageId)} />
                {abTest && <Row label="A/B KPI" value={KPI_LABELS[abTestKpi]} />}
                <Row label="When" value={`${describeRecurrence(recurrence())} at ${sendTime} (${timeZone})`} />
                <Row label="Control group" value={`${controlSharePercent} %`} />
                <Row label="Priority" value={String(priority)} />
                <Row label="Action duration" value={`${actionDurationDays} days`} />
              </Table.Tbody>
            </Table>
          </Paper>
        </Stepper.Step>
      </Stepper>
      {stepHint.length > 0 && (
        <Alert color="orange" role="alert">
          {stepHint.join('; ')}
        </Alert>
      )}
      <Group justify="space-between">
        <Button variant="default" onClick={() => setStep((current) => Math.max(0, current - 1))} disabled={step === 0}>
          Back
        </Button>
        {step < 3 ? (
          <Button onClick={next}>Next</Button>
        ) : (
          <Button onClick={() => void submit()} loading={saving}>
            Create campaign
          </Button>
        )}
      </Group>
    </Stack>
  );
}

function PreviewPanel({ preview, waitingFor }: { preview: ReturnType<typeof useQuery<Preview>>; waitingFor: string[] }) {
  if (waitingFor.length > 0) {
    return (
      <Text size="sm" c="dimmed">
        Live count once the rule is complete ({waitingFor.join('; ')}).
      </Text>
    );
  }
  return (
    <Paper withBorder p="md" aria-label="Live preview" component="section">
      <QueryState query={preview} what="the preview">
        {(data) => (
          <SimpleGrid cols={{ base: 1, md: 3 }}>
            <Stack gap={4}>
              <Text size="sm" c="dimmed">
                Customers matching as of {data.asOf}
              </Text>
              <Text fz={32} fw={700} aria-label="Matching customers">
                {formatInteger(data.count)}
              </Text>
            </Stack>
            <Stack gap={4}>
              <Text size="sm" c="dimmed">
                Sample (customer ids)
              </Text>
              <Group gap={4}>
                {data.sample.map((id) => (
                  <Badge key={id} variant="outline" tt="none">
                    {id}
                  </Badge>
                ))}
              </Group>
            </Stack>
            <Stack gap={4}>
              <Text size="sm" c="dimmed">
                By lifecycle stage
              </Text>
              <BarChart h={140} data={stageBars(data.byStage)} dataKey="stage" series={[{ name: 'customers', color: 'blue.7' }]} tickLine="none" gridAxis="none" withTooltip />
            </Stack>
          </SimpleGrid>
        )}
      </QueryState>
    </Paper>
  );
}

function MessagePreviews({ ids }: { ids: (string | null)[] }) {
  const chosen = ids.filter((id): id is string => !!id);
  if (chosen.length === 0) return null;
  return (
    <SimpleGrid cols={{ base: 1, lg: Math.min(chosen.length, 2) }}>
      {chosen.map((id) => (
        // sandbox="" : the e-mail's HTML runs no script and reaches nothing of the console.
        <iframe key={id} sandbox="" title={`Preview of message ${id}`} src={`/api/smartfocus-dispatch/messages/${encodeURIComponent(id)}/preview`} style={{ width: '100%', height: 360, border: '1px solid #ced4da', borderRadius: 4, background: 'white' }} />
      ))}
    </SimpleGrid>
  );
}

function Row({ label, value }: { label: string; value: string }) {
  return (
    <Table.Tr>
      <Table.Th w={220}>{label}</Table.Th>
      <Table.Td>{value || '–'}</Table.Td>
    </Table.Tr>
  );
}

function replace<T>(items: T[], index: number, item: T): T[] {
  return items.map((current, other) => (other === index ? item : current));
}

function describeRecurrence(recurrence: Recurrence): string {
  switch (recurrence.type) {
    case 'once':
      return `Once on ${recurrence.date}`;
    case 'daily':
      return `Every day from ${recurrence.startDate}${recurrence.endDate ? ` to ${recurrence.endDate}` : ''}`;
    case 'weekdays':
      return `Every ${recurrence.weekdays.join(', ')} from ${recurrence.startDate}${recurrence.endDate ? ` to ${recurrence.endDate}` : ''}`;
  }
}

/** segmentation's rule errors (`errors: [{ path, message }]`) by JSON path. */
function ruleErrorsOf(error: ApiError): Record<string, string> {
  const body = typeof error.body === 'object' && error.body !== null ? (error.body as { errors?: unknown }) : {};
  if (!Array.isArray(body.errors)) return error.status === 400 ? { $: error.message } : {};
  const byPath: Record<string, string> = {};
  for (const item of body.errors as { path?: unknown; message?: unknown }[]) {
    if (typeof item.path === 'string') byPath[item.path.replace(/^\$\.rule/, '$')] = String(item.message);
  }
  return byPath;
}
