// The replication and notification configuration documents between their XML wire form and the
// typed forms in replication-config.ts and notification-config.ts. Shape checks only (MalformedXML,
// unknown names); the rules S3 applies live beside the types.
import { optional } from '../../optional';
import type { XmlTree } from '../bucket-config';
import { s3Errors } from '../errors';
import {
  isNotificationEvent,
  type DestinationKind,
  type KeyFilter,
  type NotificationConfiguration,
  type NotificationDestination,
} from '../notification-config';
import type { ReplicationConfiguration, ReplicationRule, RuleStatus } from '../replication-config';
import { child, children, node, tag, text } from '../xml';

type Element = Record<string, XmlTree | XmlTree[]>;

function ruleStatus(value: string | undefined): RuleStatus {
  if (value !== 'Enabled' && value !== 'Disabled') throw s3Errors.malformedXml();
  return value;
}

function optionalStatus(element: XmlTree | readonly XmlTree[] | undefined): RuleStatus | undefined {
  return element === undefined ? undefined : ruleStatus(text(child(element).Status));
}

function parseTags(list: XmlTree | readonly XmlTree[] | undefined): Record<string, string> {
  const tags: Record<string, string> = {};
  for (const t of children(list)) tags[text(t.Key) ?? ''] = text(t.Value) ?? '';
  return tags;
}

export function parseReplication(root: Element): ReplicationConfiguration {
  const role = text(root.Role);
  if (role === undefined || root.Rule === undefined) throw s3Errors.malformedXml();
  const rules = children(root.Rule).map((r, index): ReplicationRule => {
    const destination = child(r.Destination);
    const bucketArn = text(destination.Bucket);
    if (bucketArn === undefined) throw s3Errors.malformedXml();
    const priorityText = text(r.Priority);
    const priority = priorityText === undefined ? undefined : Number(priorityText);
    if (priority !== undefined && !Number.isInteger(priority)) throw s3Errors.malformedXml();
    const legacyPrefix = text(r.Prefix);
    // Exactly one of Filter (V2) and a rule-level Prefix (V1).
    if ((r.Filter === undefined) === (legacyPrefix === undefined)) throw s3Errors.malformedXml();
    const filter = r.Filter === undefined ? undefined : parseRuleFilter(child(r.Filter));
    const encryption = destination.EncryptionConfiguration === undefined ? undefined : child(destination.EncryptionConfiguration);
    const selection = child(r.SourceSelectionCriteria);
    return {
      // S3 names a rule without an ID itself; the sandbox names it by position, so answers stay reproducible.
      id: text(r.ID) ?? `rule-${index + 1}`,
      ...optional('priority', priority),
      status: ruleStatus(text(r.Status)),
      ...optional('filter', filter),
      ...optional('prefix', legacyPrefix),
      ...optional('deleteMarkerReplication', optionalStatus(r.DeleteMarkerReplication)),
      ...optional('sseKmsEncryptedObjects', optionalStatus(selection.SseKmsEncryptedObjects)),
      destination: {
        bucketArn,
        ...optional('account', text(destination.Account)),
        ...optional('storageClass', text(destination.StorageClass)),
        ...optional('replicaKmsKeyId', encryption === undefined ? undefined : text(encryption.ReplicaKmsKeyID)),
        ...optional('metrics', optionalStatus(destination.Metrics)),
      },
    };
  });
  return { role, rules };
}

function parseRuleFilter(filter: Element): NonNullable<ReplicationRule['filter']> {
  if (filter.And !== undefined) {
    const and = child(filter.And);
    return { ...optional('prefix', text(and.Prefix)), tags: parseTags(and.Tag) };
  }
  return { ...optional('prefix', text(filter.Prefix)), tags: parseTags(filter.Tag) };
}

export function renderReplication(config: ReplicationConfiguration): string[] {
  return [
    tag('Role', config.role),
    ...config.rules.map((r) => {
      const tagList = Object.entries(r.filter?.tags ?? {});
      const tagXml = tagList.map(([k, v]) => node('Tag', tag('Key', k), tag('Value', v)));
      let filter = '';
      if (r.filter !== undefined) {
        filter =
          tagList.length === 0
            ? node('Filter', tag('Prefix', r.filter.prefix ?? ''))
            : tagList.length === 1 && r.filter.prefix === undefined
              ? node('Filter', ...tagXml)
              : node('Filter', node('And', tag('Prefix', r.filter.prefix), ...tagXml));
      }
      const d = r.destination;
      return node(
        'Rule',
        tag('ID', r.id),
        tag('Priority', r.priority),
        tag('Prefix', r.prefix),
        filter,
        tag('Status', r.status),
        r.sseKmsEncryptedObjects === undefined
          ? ''
          : node('SourceSelectionCriteria', node('SseKmsEncryptedObjects', tag('Status', r.sseKmsEncryptedObjects))),
        node(
          'Destination',
          tag('Bucket', d.bucketArn),
          tag('Account', d.account),
          tag('StorageClass', d.storageClass),
          d.replicaKmsKeyId === undefined ? '' : node('EncryptionConfiguration', tag('ReplicaKmsKeyID', d.replicaKmsKeyId)),
          d.metrics === undefined ? '' : node('Metrics', tag('Status', d.metrics)),
        ),
        r.deleteMarkerReplication === undefined ? '' : node('DeleteMarkerReplication', tag('Status', r.deleteMarkerReplication)),
      );
    }),
  ];
}

/** Element names per destination kind: the configuration element and its ARN element. */
const NOTIFICATION_ELEMENTS: readonly [DestinationKind, string, string][] = [
  ['Topic', 'TopicConfiguration', 'Topic'],
  ['Queue', 'QueueConfiguration', 'Queue'],
  ['LambdaFunction', 'CloudFunctionConfiguration', 'CloudFunction'],
];

export function parseNotification(root: Element, newId: () => string): NotificationConfiguration {
  const destinations: NotificationDestination[] = [];
  for (const [kind, element, arnElement] of NOTIFICATION_ELEMENTS) {
    for (const c of children(root[element])) {
      const arn = text(c[arnElement]);
      const eventNames = (Array.isArray(c.Event) ? c.Event : c.Event === undefined ? [] : [c.Event]).map((e) => text(e) ?? '');
      if (arn === undefined || eventNames.length === 0) throw s3Errors.malformedXml();
      const events = eventNames.map((name) => {
        if (!isNotificationEvent(name)) throw s3Errors.invalidArgument('The event is not supported for notifications', 'Event', name);
        return name;
      });
      destinations.push({ kind, id: text(c.Id) ?? newId(), arn, events, filter: parseKeyFilter(c.Filter) });
    }
  }
  return { destinations, eventBridge: root.EventBridgeConfiguration !== undefined };
}

function parseKeyFilter(filter: XmlTree | readonly XmlTree[] | undefined): KeyFilter {
  if (filter === undefined) return {};
  const result: { prefix?: string; suffix?: string } = {};
  for (const rule of children(child(child(filter).S3Key).FilterRule)) {
    const name = text(rule.Name)?.toLowerCase();
    if (name !== 'prefix' && name !== 'suffix')
      throw s3Errors.invalidArgument('filter rule name must be either prefix or suffix', 'FilterRule.Name', text(rule.Name) ?? '');
    if (result[name] !== undefined)
      throw s3Errors.invalidArgument(`Cannot specify more than one ${name} rule in a filter.`, 'FilterRule.Name', name);
    result[name] = text(rule.Value) ?? '';
  }
  return result;
}

export function renderNotification(config: NotificationConfiguration): string[] {
  const rendered = NOTIFICATION_ELEMENTS.flatMap(([kind, element, arnElement]) =>
    config.destinations
      .filter((d) => d.kind === kind)
      .map((d) => {
        const rules = [
          d.filter.prefix === undefined ? '' : node('FilterRule', tag('Name', 'Prefix'), tag('Value', d.filter.prefix)),
          d.filter.suffix === undefined ? '' : node('FilterRule', tag('Name', 'Suffix'), tag('Value', d.filter.suffix)),
        ].join('');
        return node(
          element,
          tag('Id', d.id),
          tag(arnElement, d.arn),
          ...d.events.map((e) => tag('Event', e)),
          rules === '' ? '' : node('Filter', node('S3Key', rules)),
        );
      }),
  );
  return config.eventBridge ? [...rendered, '<EventBridgeConfiguration></EventBridgeConfiguration>'] : rendered;
}
