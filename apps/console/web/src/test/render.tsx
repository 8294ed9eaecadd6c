import { MantineProvider } from '@mantine/core';
import { render, type RenderResult } from '@testing-library/react';
import type { ReactElement } from 'react';

/** Renders a component inside the providers the app has. */
export function renderWithMantine(element: ReactElement): RenderResult {
  return render(<MantineProvider>{element}</MantineProvider>);
}
