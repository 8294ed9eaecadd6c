import { AppShell, Burger, Button, Group, NavLink, Text, Title } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { NavLink as RouterLink, Outlet, useLocation } from 'react-router';
import { useSession } from '../api/session';

const PAGES = [
  { to: '/runs', label: 'Nightly runs' },
  { to: '/campaigns/new', label: 'Run campaign' },
  { to: '/campaigns', label: 'Campaigns', end: true },
  { to: '/model', label: 'Customer model' },
  { to: '/imports', label: 'Imports' },
] as const;

export function ConsoleLayout() {
  const { session, signOut } = useSession();
  const [opened, { toggle, close }] = useDisclosure();
  const location = useLocation();
  return (
    <AppShell header={{ height: 56 }} navbar={{ width: 220, breakpoint: 'sm', collapsed: { mobile: !opened } }} padding="md">
      <AppShell.Header>
        <Group h="100%" px="md" justify="space-between">
          <Group>
            <Burger opened={opened} onClick={toggle} hiddenFrom="sm" size="sm" aria-label="Show the menu" />
            <Title order={1} size="h4">
              Optimove console
            </Title>
          </Group>
          <Group>
            <Text size="sm" c="dimmed" aria-label="Signed in as">
              {session?.userName}
            </Text>
            <Button variant="default" size="xs" onClick={() => void signOut()}>
              Sign out
            </Button>
          </Group>
        </Group>
      </AppShell.Header>
      <AppShell.Navbar p="xs" component="nav" aria-label="Pages">
        {PAGES.map((page) => (
          <NavLink
            key={page.to}
            component={RouterLink}
            to={page.to}
            label={page.label}
            end={'end' in page ? page.end : false}
            active={page.to === '/campaigns' ? location.pathname === '/campaigns' : location.pathname.startsWith(page.to)}
            onClick={close}
          />
        ))}
      </AppShell.Navbar>
      <AppShell.Main>
        <Outlet />
      </AppShell.Main>
    </AppShell>
  );
}
