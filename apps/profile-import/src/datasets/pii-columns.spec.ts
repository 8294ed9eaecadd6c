import { DEFAULT_PII_HEADER_DENY_LIST, PiiHeaderMatcher } from './pii-columns';

describe(PiiHeaderMatcher.name, () => {
  const matcher = new PiiHeaderMatcher(DEFAULT_PII_HEADER_DENY_LIST);

  it.each([
    'email', 'E-Mail', 'EMAIL_ADDRESS', 'customerEmail', 'email_address_2', 'mail',
    'first_name', 'FirstName', 'firstname', 'Last Name', 'surname', 'name', 'Full-Name', 'store name',
    'phone', 'PhoneNumber', 'mobile_phone', 'tel', 'fax',
    'street', 'postal_address', 'zip', 'ZIP Code', 'postcode', 'billingAddress',
  ])('should take %j for personal data', (header) => {
    expect(matcher.isPii(header)).toBe(true);
  });

  it.each(['customer_id', 'country', 'registered_at', 'loyalty_tier', 'mailing_opt_in', 'hotel_stays', 'username', 'amount'])(
    'should not take %j for personal data',
    (header) => {
      expect(matcher.isPii(header)).toBe(false);
    },
  );

  it('should use the configured list only', () => {
    const custom = new PiiHeaderMatcher(['nickname']);
    expect(custom.isPii('NickName')).toBe(true);
    expect(custom.isPii('email')).toBe(false);
  });
});
