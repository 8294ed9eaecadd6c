import { Center, Loader, MantineProvider, createTheme } from '@mantine/core';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { BrowserRouter, Navigate, Route, Routes } from 'react-router';
import { SessionProvider, useSession } from './api/session';
import { ConsoleLayout } from './layout/console-layout';
import { AnalysisPage } from './pages/analysis/analysis-page';
import { CampaignsPage } from './pages/campaigns/campaigns-page';
import { CampaignWizardPage } from './pages/campaign-wizard/campaign-wizard-page';
import { ImportsPage } from './pages/imports/imports-page';
import { ModelPage } from './pages/model/model-page';
import { RunsPage } from './pages/runs/runs-page';
import { SignInPage } from './pages/sign-in-page';

// Blue 8 / dark text on white pass WCAG AA contrast for normal text; the focus ring stays visible.
const theme = createTheme({ primaryColor: 'blue', primaryShade: 8, focusRing: 'auto', defaultRadius: 'sm' });

const queryClient = new QueryClient({
  defaultOptions: { queries: { retry: 1, refetchOnWindowFocus: false, staleTime: 15_000 } },
});

function SignedInRoutes() {
  const { session } = useSession();
  if (session === undefined) {
    return (
      <Center h="100vh">
        <Loader aria-label="Loading the console" />
      </Center>
    );
  }
  if (session === null) return <SignInPage />;
  return (
    <Routes>
      <Route element={<ConsoleLayout />}>
        <Route index element={<Navigate to="/runs" replace />} />
        <Route path="imports" element={<ImportsPage />} />
        <Route path="campaigns" element={<CampaignsPage />} />
        <Route path="campaigns/new" element={<CampaignWizardPage />} />
        <Route path="campaigns/:campaignId/analysis" element={<AnalysisPage scope="campaign" />} />
        <Route path="executions/:executionId/analysis" element={<AnalysisPage scope="execution" />} />
        <Route path="runs" element={<RunsPage />} />
        <Route path="model" element={<ModelPage />} />
        <Route path="*" element={<Navigate to="/runs" replace />} />
      </Route>
    </Routes>
  );
}

export function App() {
  return (
    <MantineProvider theme={theme} defaultColorScheme="light">
      <QueryClientProvider client={queryClient}>
        <BrowserRouter>
          <SessionProvider>
            <SignedInRoutes />
          </SessionProvider>
        </BrowserRouter>
      </QueryClientProvider>
    </MantineProvider>
  );
}
