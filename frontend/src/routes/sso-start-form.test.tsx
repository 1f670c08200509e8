import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { apiUrl } from '../api-test-support';
import { SsoStartForm } from './SsoStartForm';

describe('"Sign in with SSO", against the real API', () => {
  it('goes to the start address of the slug typed', async () => {
    const go = vi.fn();
    render(<SsoStartForm go={go} baseUrl={apiUrl()} />);
    const user = userEvent.setup();
    await user.type(screen.getByLabelText('Organization slug or work email'), 'Acme-Corp');
    await user.click(screen.getByRole('button', { name: 'Sign in with SSO' }));
    expect(go).toHaveBeenCalledWith('/api/v1/auth/sso/acme-corp/start');
  });

  it('refuses what is neither a slug nor an email, and says when no organization uses an email domain', async () => {
    const go = vi.fn();
    render(<SsoStartForm go={go} baseUrl={apiUrl()} />);
    const user = userEvent.setup();
    const field = screen.getByLabelText('Organization slug or work email');
    await user.type(field, 'not a slug!');
    await user.click(screen.getByRole('button', { name: 'Sign in with SSO' }));
    expect(await screen.findByText('is not a slug or an email address')).toBeInTheDocument();
    expect(field).toHaveAttribute('aria-invalid', 'true');
    await user.clear(field);
    await user.type(field, 'someone@no-sso-here.test');
    await user.click(screen.getByRole('button', { name: 'Sign in with SSO' }));
    expect(await screen.findByRole('alert')).toHaveTextContent(/No organization signs in with SSO/);
    expect(go).not.toHaveBeenCalled();
  });
});
