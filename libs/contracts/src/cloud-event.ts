/** CloudEvents 1.0 spec version carried by every event. */
export const CLOUD_EVENTS_SPEC_VERSION = '1.0';

/** AMQP content type of an event in CloudEvents structured mode. Wire value: do not change. */
export const CLOUD_EVENTS_CONTENT_TYPE = 'application/cloudevents+json';

/**
 * A CloudEvents 1.0 document in structured JSON mode: the body of every message on the
 * `optimove.events` exchange. Any system may publish one with nothing but this document.
 */
export type CloudEvent<TType extends string = string, TData = unknown> = {
  /** Always "1.0". */
  specversion: typeof CLOUD_EVENTS_SPEC_VERSION;
  /** UUID of this event; the de-duplication key of every consumer. */
  id: string;
  /** The routing key, e.g. `lists.generated.v1`. */
  type: TType;
  /** URI-reference of the producer, e.g. `/segmentation`. */
  source: string;
  /** When the event happened, RFC 3339 in UTC. */
  time: string;
  /** Always `application/json`: `data` is a JSON object. */
  datacontenttype: 'application/json';
  /** Optional subject, e.g. an execution id. */
  subject?: string;
  /** The payload: one of the classes in `events/`. */
  data: TData;
};
