import type { Domain } from '../../api/identity';
import { ResourcePage } from './ResourcePage';

export default function DomainPage() {
  return <ResourcePage<Domain> collection="domains" kind="domain" />;
}
