import { Link } from 'react-router';
import { cloudName, cloudsYaml, openrc } from '../api/client-config';
import { saveText } from '../api/transfer';
import { useSession } from '../auth/session-context';

/** The signed-in user's menu: the files that give the CLI this project, and the user's application credentials. */
export function UserMenu() {
  const session = useSession();
  return (
    <details className="user-menu">
      <summary>
        {session.userName} ({session.domainName})
      </summary>
      {/* The menu closes once a choice in it is made, as a menu does. */}
      <ul onClick={(event) => event.currentTarget.closest('details')?.removeAttribute('open')}>
        <li>
          <button type="button" onClick={() => saveText(cloudsYaml(session), 'clouds.yaml', 'application/yaml')}>
            Download clouds.yaml
          </button>
        </li>
        <li>
          <button type="button" onClick={() => saveText(openrc(session), `${cloudName(session)}-openrc.sh`, 'application/x-sh')}>
            Download openrc
          </button>
        </li>
        <li>
          <Link to="/application-credentials">Application credentials</Link>
        </li>
      </ul>
    </details>
  );
}
