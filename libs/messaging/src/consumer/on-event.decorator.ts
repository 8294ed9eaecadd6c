import { EventPattern } from '@nestjs/microservices';
import type { RoutingKey } from '@optimove/contracts';
import type { EventHandlerMethod } from './event-context';

/**
 * `@EventPattern(key)` whose method signature the compiler checks against the key's payload:
 * `@OnEvent('lists.generated.v1') handle(@Payload() payload: ListsGeneratedV1, @Ctx() context: EventContext<...>)`.
 * Like every Nest message handler, it must sit in a class listed in a module's `controllers`.
 */
export function OnEvent<K extends RoutingKey>(key: K) {
  return (target: object, property: string | symbol, descriptor: TypedPropertyDescriptor<EventHandlerMethod<K>>): void => {
    EventPattern<string>(key)(target, property, descriptor);
  };
}
