import { Validate, ValidatorConstraint, type ValidatorConstraintInterface } from 'class-validator';
import { isTimeZone } from '@optimove/clock';

@ValidatorConstraint({ name: 'isTimeZone' })
class IsTimeZoneConstraint implements ValidatorConstraintInterface {
  validate(value: unknown): boolean {
    return typeof value === 'string' && isTimeZone(value);
  }

  defaultMessage(): string {
    return '$property must be an IANA time zone such as Europe/Paris';
  }
}

/** A config variable that names an IANA time zone this runtime knows (e.g. `Europe/Paris`, `UTC`). */
export function IsTimeZone(): PropertyDecorator {
  return Validate(IsTimeZoneConstraint);
}
