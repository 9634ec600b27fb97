import { QuotaDefaults } from './QuotaDefaults';

/** The quotas a project gets until an admin sets its own. */
export default function DefaultsPage() {
  return (
    <section>
      <h1>Defaults</h1>
      <QuotaDefaults service="compute" title="Compute quota defaults" />
      <QuotaDefaults service="volumev3" title="Volume quota defaults" />
    </section>
  );
}
