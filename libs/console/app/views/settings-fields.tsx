import { useState } from 'preact/hooks';
import { choicesOf, scheduleStreams, type JsonSchema } from '../../src/integration-schema.js';
import type { Status } from '../../src/status-map.js';
import { isMessageKey, useI18n, type Translate } from '../i18n.js';
import type { Integration } from '../../src/api-types.js';
import { StatusMapEditor } from './status-map-editor.js';

/** A setting that only means something while another is on; off, it is disabled (and flag 3 is switched off too). */
const DEPENDS_ON: Record<string, string> = {
  contactsCreatedAfter: 'contactSync',
  productCategories: 'productSync',
  processApiChanges: 'statusCrmToZzap',
};

export interface SettingsContext {
  kind: string;
  source: string;
  target: string;
  sourceStatuses?: Status[];
  targetStatuses?: Status[];
  /** RetailCRM stores the target's key reaches, from its connection test. */
  stores?: string[];
  /** What the scheduler runs for the saved integration. */
  schedules?: Integration['schedules'];
}

function label(t: Translate, key: string): string {
  const messageKey = `setting.${key}`;
  return isMessageKey(messageKey) ? t(messageKey) : key;
}

function choiceLabel(t: Translate, key: string, value: unknown): string {
  const messageKey = `choice.${key}.${String(value)}`;
  if (isMessageKey(messageKey)) return t(messageKey);
  return typeof value === 'number' ? t('unit.minutes', { n: value }) : String(value);
}

/**
 * The settings of one integration kind, laid out from the JSON Schema the control API publishes (in its order,
 * with its choices): a checkbox per flag, a select per choice, and dedicated editors for the status map, the
 * category map and the schedules.
 */
export function SettingsFields(props: {
  schema: JsonSchema;
  value: Record<string, unknown>;
  onChange: (value: Record<string, unknown>) => void;
  context: SettingsContext;
}) {
  const { t } = useI18n();
  const { value } = props;
  const set = (key: string, next: unknown) => {
    const settings = { ...value, [key]: next };
    for (const [child, parent] of Object.entries(DEPENDS_ON)) {
      if (parent === key && next === false && typeof settings[child] === 'boolean') settings[child] = false;
    }
    props.onChange(settings);
  };

  return (
    <>
      {Object.entries(props.schema.properties ?? {}).map(([key, property]) => {
        const id = `setting-${key}`;
        const disabled = key in DEPENDS_ON && value[DEPENDS_ON[key]] === false;
        const helpKey = `help.${key}`;
        const help = isMessageKey(helpKey) ? <p id={`${id}-help`} class="help">{t(helpKey)}</p> : null;
        const describedBy = help ? `${id}-help` : undefined;
        const choices = choicesOf(property);

        if (key === 'statusMap') {
          return (
            <fieldset key={key}>
              <legend>{label(t, key)}</legend>
              <StatusMapEditor {...props.context} value={value[key]} onChange={(next) => set(key, next)} />
            </fieldset>
          );
        }
        if (key === 'categoryMap') {
          return (
            <fieldset key={key}>
              <legend>{label(t, key)}</legend>
              <CategoryMapEditor value={(value[key] ?? {}) as Record<string, string>} onChange={(next) => set(key, next)} />
            </fieldset>
          );
        }
        if (key === 'schedules') {
          return (
            <fieldset key={key}>
              <legend>{label(t, key)}</legend>
              <SchedulesEditor
                streams={scheduleStreams(props.schema)}
                value={(value[key] ?? {}) as Record<string, Timing>}
                timeZone={String(value['timeZone'] ?? 'UTC')}
                current={props.context.schedules}
                onChange={(next) => set(key, next)}
              />
            </fieldset>
          );
        }
        if (property.type === 'boolean') {
          return (
            <div class="field checkbox" key={key}>
              <input id={id} type="checkbox" checked={value[key] === true} disabled={disabled} aria-describedby={describedBy}
                onChange={(event) => set(key, event.currentTarget.checked)} />
              <label for={id}>{label(t, key)}</label>
              {help}
            </div>
          );
        }
        return (
          <div class="field" key={key}>
            <label for={id}>{label(t, key)}</label>
            {key === 'storeCode' && props.context.stores ? (
              <select id={id} value={String(value[key] ?? '')} aria-describedby={describedBy} onChange={(event) => set(key, event.currentTarget.value)}>
                <option value="">{t('editor.chooseStore')}</option>
                {props.context.stores.map((store) => <option value={store}>{store}</option>)}
              </select>
            ) : choices ? (
              <select id={id} value={String(value[key] ?? '')} disabled={disabled} aria-describedby={describedBy}
                onChange={(event) => set(key, choices.find((choice) => String(choice) === event.currentTarget.value))}>
                {choices.map((choice) => <option value={String(choice)}>{choiceLabel(t, key, choice)}</option>)}
              </select>
            ) : property.type === 'array' ? (
              <input id={id} type="text" disabled={disabled} aria-describedby={describedBy}
                value={((value[key] ?? []) as string[]).join(', ')}
                onChange={(event) => set(key, event.currentTarget.value.split(',').map((item) => item.trim()).filter(Boolean))} />
            ) : property.anyOf?.some((alternative) => alternative.format === 'date') ? (
              <input id={id} type="date" disabled={disabled} aria-describedby={describedBy} value={String(value[key] ?? '').slice(0, 10)}
                onChange={(event) => set(key, event.currentTarget.value || undefined)} />
            ) : (
              <input id={id} type="text" disabled={disabled} aria-describedby={describedBy} value={String(value[key] ?? '')}
                list={key === 'timeZone' ? 'time-zones' : undefined}
                onChange={(event) => set(key, event.currentTarget.value)} />
            )}
            {help}
            {key === 'timeZone' && (
              <datalist id="time-zones">
                {Intl.supportedValuesOf('timeZone').map((zone) => <option value={zone} />)}
              </datalist>
            )}
          </div>
        );
      })}
    </>
  );
}

/** Zomentum category -> RepairShopr category, one editable row each. */
function CategoryMapEditor({ value, onChange }: { value: Record<string, string>; onChange: (next: Record<string, string>) => void }) {
  const { t } = useI18n();
  const [rows, setRows] = useState<Array<[string, string]>>(() => Object.entries(value));
  const update = (next: Array<[string, string]>) => {
    setRows(next);
    onChange(Object.fromEntries(next.filter(([from, to]) => from.trim() && to.trim()).map(([from, to]) => [from.trim(), to.trim()])));
  };
  return (
    <>
      <table>
        <thead>
          <tr>
            <th scope="col">{t('categoryMap.zomentum')}</th>
            <th scope="col">{t('categoryMap.repairshopr')}</th>
            <th scope="col"><span class="visually-hidden">{t('common.actions')}</span></th>
          </tr>
        </thead>
        <tbody>
          {rows.map(([from, to], index) => (
            <tr key={index}>
              <td>
                <input type="text" aria-label={`${t('categoryMap.zomentum')} ${index + 1}`} value={from}
                  onChange={(event) => update(rows.map((row, at) => (at === index ? [event.currentTarget.value, row[1]] : row)))} />
              </td>
              <td>
                <input type="text" aria-label={`${t('categoryMap.repairshopr')} ${index + 1}`} value={to}
                  onChange={(event) => update(rows.map((row, at) => (at === index ? [row[0], event.currentTarget.value] : row)))} />
              </td>
              <td>
                <button type="button" onClick={() => update(rows.filter((_, at) => at !== index))}>
                  {t('categoryMap.remove', { name: from || String(index + 1) })}
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <button type="button" onClick={() => update([...rows, ['', '']])}>{t('categoryMap.add')}</button>
    </>
  );
}

type Timing = { kind: 'interval'; everyMinutes: number } | { kind: 'cron'; cron: string; timeZone: string };

/** Per stream: the default timing, every N minutes, or a cron expression in a time zone. */
function SchedulesEditor(props: {
  streams: string[];
  value: Record<string, Timing>;
  timeZone: string;
  current?: Integration['schedules'];
  onChange: (next: Record<string, Timing>) => void;
}) {
  const { t } = useI18n();
  const set = (stream: string, timing: Timing | undefined) => {
    const others = Object.fromEntries(Object.entries(props.value).filter(([key]) => key !== stream));
    props.onChange(timing ? { ...others, [stream]: timing } : others);
  };
  const describe = (stream: string) => {
    const schedule = props.current?.find((candidate) => `${candidate.connector}.${candidate.stream}` === stream);
    if (!props.current) return '';
    if (!schedule) return t('schedules.current', { timing: t('schedules.notScheduled') });
    const timing = schedule.kind === 'interval' ? t('schedules.everyN', { n: schedule.everyMinutes ?? 0 }) : `${schedule.cron} (${schedule.timeZone})`;
    return t('schedules.current', { timing });
  };
  return (
    <table>
      <thead>
        <tr>
          <th scope="col">{t('schedules.stream')}</th>
          <th scope="col">{t('schedules.timing')}</th>
        </tr>
      </thead>
      <tbody>
        {props.streams.map((stream) => {
          const timing = props.value[stream];
          const id = `schedule-${stream.replace('.', '-')}`;
          return (
            <tr key={stream}>
              <th scope="row">
                <label for={id}>{stream}</label>
                <p class="help">{describe(stream)}</p>
              </th>
              <td>
                <select id={id} value={timing?.kind ?? ''} onChange={(event) => {
                  const kind = event.currentTarget.value;
                  set(stream, kind === 'interval' ? { kind, everyMinutes: 60 } : kind === 'cron' ? { kind, cron: '0 3 * * *', timeZone: props.timeZone } : undefined);
                }}>
                  <option value="">{t('schedules.default')}</option>
                  <option value="interval">{t('schedules.interval')}</option>
                  <option value="cron">{t('schedules.cron')}</option>
                </select>
                {timing?.kind === 'interval' && (
                  <label>
                    {t('schedules.everyMinutes')}{' '}
                    <input type="number" min={1} max={10080} value={timing.everyMinutes}
                      onChange={(event) => set(stream, { kind: 'interval', everyMinutes: Number(event.currentTarget.value) })} />
                  </label>
                )}
                {timing?.kind === 'cron' && (
                  <>
                    <label>
                      {t('schedules.cronExpression')}{' '}
                      <input type="text" value={timing.cron} onChange={(event) => set(stream, { ...timing, cron: event.currentTarget.value })} />
                    </label>
                    <label>
                      {t('setting.timeZone')}{' '}
                      <input type="text" list="time-zones" value={timing.timeZone}
                        onChange={(event) => set(stream, { ...timing, timeZone: event.currentTarget.value })} />
                    </label>
                  </>
                )}
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
