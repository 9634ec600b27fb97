/**
 * The cloud's notifications: a service publishes what happened (an OpenStack
 * `event_type` such as `compute.instance.create.end` with Ceilometer's event
 * traits) and whoever subscribed hears it, without the two importing each
 * other. An event is delivered as Ceilometer hands events to Aodh:
 * `{message_id, event_type, generated, traits: [[name, type, value]], raw}`,
 * the trait types numbered as Ceilometer's event model numbers them.
 *
 * In-process only: listeners of this process hear this process's events.
 * With several API processes (issue 18) an event must reach every process
 * that may hold a subscriber (or one elected consumer): a durable table or
 * PostgreSQL LISTEN/NOTIFY behind the same publish/subscribe, so that each
 * event is evaluated once across the cluster.
 */
import { randomUUID } from 'node:crypto';
import type { Logger } from './logger.js';
import { nowIso } from './time.js';

/** Ceilometer's trait data types: 1 text, 2 integer, 3 float, 4 datetime. */
export const TRAIT_TYPES = { string: 1, integer: 2, float: 3, datetime: 4 } as const;

export type TraitValue = string | number;
export type Trait = [name: string, type: number, value: TraitValue];

export interface CloudEvent {
  message_id: string;
  event_type: string;
  /** ISO 8601 UTC, when the service published it. */
  generated: string;
  traits: Trait[];
  raw: Record<string, never>;
}

/** Traits as a publisher gives them: a Date is a datetime, a number an integer or a float; absent values are left out. */
export type TraitInput = Record<string, string | number | Date | null | undefined>;

export type EventListener = (event: CloudEvent) => void | Promise<void>;

export interface EventBus {
  /** Sends the event to every subscriber after the caller's current work; never throws nor waits for them. */
  publish(eventType: string, traits: TraitInput): void;
  /** Adds a listener; the function returned removes it. */
  subscribe(listener: EventListener): () => void;
  /** Resolves once every event published so far has been handled (tests, shutdown). */
  drain(): Promise<void>;
}

function trait(name: string, value: string | number | Date): Trait {
  if (value instanceof Date) return [name, TRAIT_TYPES.datetime, value.toISOString()];
  if (typeof value === 'number') return [name, Number.isInteger(value) ? TRAIT_TYPES.integer : TRAIT_TYPES.float, value];
  return [name, TRAIT_TYPES.string, value];
}

export function createEventBus(log: Logger): EventBus {
  const listeners = new Set<EventListener>();
  let pending: Promise<void> = Promise.resolve();

  async function deliver(event: CloudEvent): Promise<void> {
    for (const listener of [...listeners]) {
      try {
        await listener(event);
      } catch (err) {
        log.error({ err, eventType: event.event_type, messageId: event.message_id }, 'event listener failed');
      }
    }
  }

  return {
    publish(eventType, traits) {
      const event: CloudEvent = {
        message_id: randomUUID(),
        event_type: eventType,
        generated: nowIso(),
        traits: Object.entries(traits).flatMap(([name, value]) => (value === null || value === undefined ? [] : [trait(name, value)])),
        raw: {},
      };
      // Delivered in publication order, one event at a time, outside the publisher's request.
      pending = pending.then(() => deliver(event));
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    drain: () => pending,
  };
}
