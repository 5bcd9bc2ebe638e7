/**
 * The client host DescribeGroups reports for a member, formatted as Kafka does ("/" + IP)
 * from a connection's "ip:port" remote address.
 */
export function clientHostOf(remoteAddress: string): string {
  const colon = remoteAddress.lastIndexOf(':');
  return `/${colon > 0 ? remoteAddress.slice(0, colon) : remoteAddress}`;
}
