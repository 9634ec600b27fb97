import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { lazy, StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { BrowserRouter, Navigate, Route, Routes } from 'react-router';
import { ApiError } from './api/errors';
import { LoginPage } from './auth/LoginPage';
import { SessionProvider, useSessionState } from './auth/session-context';
import { Shell } from './layout/Shell';
import './styles.css';

// Each panel is its own chunk: the first page loads only what it shows.
const OverviewPage = lazy(() => import('./panels/overview/OverviewPage'));
const InstancesPage = lazy(() => import('./panels/compute/InstancesPage'));
const LaunchPage = lazy(() => import('./panels/compute/LaunchPage'));
const KeyPairsPage = lazy(() => import('./panels/compute/KeyPairsPage'));
const ImagesPage = lazy(() => import('./panels/image/ImagesPage'));
const SecurityGroupsPage = lazy(() => import('./panels/network/SecurityGroupsPage'));
const SecurityGroupRulesPage = lazy(() => import('./panels/network/SecurityGroupRulesPage'));
const ContainersPage = lazy(() => import('./panels/object-store/ContainersPage'));
const ContainerPage = lazy(() => import('./panels/object-store/ContainerPage'));
const ApplicationCredentialsPage = lazy(() => import('./panels/identity/ApplicationCredentialsPage'));
const VolumesPage = lazy(() => import('./panels/volume/VolumesPage'));
const NetworksPage = lazy(() => import('./panels/network/NetworksPage'));
const RoutersPage = lazy(() => import('./panels/network/RoutersPage'));
const FloatingIpsPage = lazy(() => import('./panels/network/FloatingIpsPage'));
const TopologyPage = lazy(() => import('./panels/network/TopologyPage'));
const PortsPage = lazy(() => import('./panels/network/PortsPage'));
const MetricsPage = lazy(() => import('./panels/metric/MetricsPage'));
const MetricChartPage = lazy(() => import('./panels/metric/MetricChartPage'));
const AlarmsPage = lazy(() => import('./panels/alarming/AlarmsPage'));
const AlarmHistoryPage = lazy(() => import('./panels/alarming/AlarmHistoryPage'));
const HypervisorsPage = lazy(() => import('./panels/admin/HypervisorsPage'));
const AllInstancesPage = lazy(() => import('./panels/admin/AllInstancesPage'));
const ProjectsPage = lazy(() => import('./panels/identity/ProjectsPage'));
const ProjectPage = lazy(() => import('./panels/identity/ProjectPage'));
const UsersPage = lazy(() => import('./panels/identity/UsersPage'));
const UserPage = lazy(() => import('./panels/identity/UserPage'));
const GroupsPage = lazy(() => import('./panels/identity/GroupsPage'));
const GroupPage = lazy(() => import('./panels/identity/GroupPage'));
const RolesPage = lazy(() => import('./panels/identity/RolesPage'));
const DomainsPage = lazy(() => import('./panels/identity/DomainsPage'));
const DomainPage = lazy(() => import('./panels/identity/DomainPage'));
const FlavorsPage = lazy(() => import('./panels/admin/FlavorsPage'));
const AggregatesPage = lazy(() => import('./panels/admin/AggregatesPage'));
const AdminVolumesPage = lazy(() => import('./panels/admin/AdminVolumesPage'));
const VolumeTypesPage = lazy(() => import('./panels/admin/VolumeTypesPage'));
const DefaultsPage = lazy(() => import('./panels/admin/DefaultsPage'));
const SystemInfoPage = lazy(() => import('./panels/admin/SystemInfoPage'));
const AdminImagesPage = lazy(() => import('./panels/admin/AdminImagesPage'));
const AdminNetworksPage = lazy(() => import('./panels/admin/AdminNetworksPage'));
const AdminRoutersPage = lazy(() => import('./panels/admin/AdminRoutersPage'));
const StacksPage = lazy(() => import('./panels/orchestration/StacksPage'));
const LaunchStackPage = lazy(() => import('./panels/orchestration/LaunchStackPage'));
const StackDetailPage = lazy(() => import('./panels/orchestration/StackDetailPage'));
const UpdateStackPage = lazy(() => import('./panels/orchestration/UpdateStackPage'));

const queries = new QueryClient({
  defaultOptions: {
    // A refusal (4xx) will not change on its own; only a network or server failure is worth one retry.
    queries: { retry: (count, error) => count < 1 && !(error instanceof ApiError && error.status >= 400 && error.status < 500), staleTime: 2000 },
  },
});

function App() {
  const { session } = useSessionState();
  if (!session) return <LoginPage />;
  return (
    <Shell>
      <Routes>
        <Route path="/" element={<Navigate to="/instances" replace />} />
        <Route path="/overview" element={<OverviewPage />} />
        <Route path="/instances" element={<InstancesPage />} />
        <Route path="/instances/launch" element={<LaunchPage />} />
        <Route path="/images" element={<ImagesPage />} />
        <Route path="/key-pairs" element={<KeyPairsPage />} />
        <Route path="/volumes" element={<VolumesPage />} />
        <Route path="/networks" element={<NetworksPage />} />
        <Route path="/routers" element={<RoutersPage />} />
        <Route path="/security-groups" element={<SecurityGroupsPage />} />
        <Route path="/security-groups/:id" element={<SecurityGroupRulesPage />} />
        <Route path="/floating-ips" element={<FloatingIpsPage />} />
        <Route path="/topology" element={<TopologyPage />} />
        <Route path="/containers" element={<ContainersPage />} />
        <Route path="/containers/:container" element={<ContainerPage />} />
        <Route path="/ports" element={<PortsPage />} />
        <Route path="/metrics" element={<MetricsPage />} />
        <Route path="/metrics/:id" element={<MetricChartPage />} />
        <Route path="/alarms" element={<AlarmsPage />} />
        <Route path="/alarms/:id" element={<AlarmHistoryPage />} />
        <Route path="/application-credentials" element={<ApplicationCredentialsPage />} />
        <Route path="/stacks" element={<StacksPage />} />
        <Route path="/stacks/launch" element={<LaunchStackPage />} />
        <Route path="/stacks/:name/:id" element={<StackDetailPage />} />
        <Route path="/stacks/:name/:id/update" element={<UpdateStackPage />} />
        <Route path="/admin/hypervisors" element={<HypervisorsPage />} />
        <Route path="/admin/instances" element={<AllInstancesPage />} />
        <Route path="/identity/projects" element={<ProjectsPage />} />
        <Route path="/identity/projects/:id" element={<ProjectPage />} />
        <Route path="/identity/users" element={<UsersPage />} />
        <Route path="/identity/users/:id" element={<UserPage />} />
        <Route path="/identity/groups" element={<GroupsPage />} />
        <Route path="/identity/groups/:id" element={<GroupPage />} />
        <Route path="/identity/roles" element={<RolesPage />} />
        <Route path="/identity/domains" element={<DomainsPage />} />
        <Route path="/identity/domains/:id" element={<DomainPage />} />
        <Route path="/admin/flavors" element={<FlavorsPage />} />
        <Route path="/admin/aggregates" element={<AggregatesPage />} />
        <Route path="/admin/volumes" element={<AdminVolumesPage />} />
        <Route path="/admin/volume-types" element={<VolumeTypesPage />} />
        <Route path="/admin/defaults" element={<DefaultsPage />} />
        <Route path="/admin/system" element={<SystemInfoPage />} />
        <Route path="/admin/images" element={<AdminImagesPage />} />
        <Route path="/admin/networks" element={<AdminNetworksPage />} />
        <Route path="/admin/routers" element={<AdminRoutersPage />} />
        <Route path="*" element={<h1>No such page</h1>} />
      </Routes>
    </Shell>
  );
}

const root = document.getElementById('root');
if (root) {
  createRoot(root).render(
    <StrictMode>
      <QueryClientProvider client={queries}>
        <BrowserRouter basename="/dashboard">
          <SessionProvider>
            <App />
          </SessionProvider>
        </BrowserRouter>
      </QueryClientProvider>
    </StrictMode>,
  );
}
