import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { apiUrl, memoryStorage, PASSWORD, signedUpSession } from '../api-test-support';
import { Session } from '../session';
import { MemoryRouter } from 'react-router-dom';
import { SessionContext } from '../session-context';
import { SignInForm } from './SignInForm';
import SignUp from './SignUp';

describe('the sign-in and sign-up forms, against the real API', () => {
  it('shows the API’s refusal, keeps what was typed, and signs in on the next try', async () => {
    const { email } = await signedUpSession();
    const session = new Session({ baseUrl: apiUrl(), storage: memoryStorage() });
    const onSignedIn = vi.fn();
    render(<SignInForm session={session} onSignedIn={onSignedIn} />);
    const user = userEvent.setup();
    await user.type(screen.getByLabelText('Email'), email);
    await user.type(screen.getByLabelText('Password'), 'not the password');
    await user.click(screen.getByRole('button', { name: 'Sign in' }));
    expect(await screen.findByRole('alert')).toHaveTextContent(/invalid/i);
    expect(screen.getByLabelText('Email')).toHaveValue(email);
    expect(onSignedIn).not.toHaveBeenCalled();

    await user.clear(screen.getByLabelText('Password'));
    await user.type(screen.getByLabelText('Password'), PASSWORD);
    await user.click(screen.getByRole('button', { name: 'Sign in' }));
    await vi.waitFor(() => expect(onSignedIn).toHaveBeenCalledTimes(1), { timeout: 20_000 });
    expect(session.current?.user.email).toBe(email);
  });

  it('marks the field the API names invalid, describes it with the API’s message, and keeps every value', async () => {
    const session = new Session({ baseUrl: apiUrl(), storage: memoryStorage() });
    render(
      <SessionContext.Provider value={session}>
        <MemoryRouter initialEntries={['/sign-up']}>
          <SignUp />
        </MemoryRouter>
      </SessionContext.Provider>,
    );
    const user = userEvent.setup();
    await user.type(screen.getByLabelText('Your name'), 'Sam');
    await user.type(screen.getByLabelText('Email'), 'sam@example.test');
    await user.type(screen.getByLabelText('Password'), 'short');
    await user.type(screen.getByLabelText('Organization'), 'Sam Co');
    await user.click(screen.getByRole('button', { name: 'Create organization' }));
    const password = screen.getByLabelText('Password');
    await vi.waitFor(() => expect(password).toHaveAttribute('aria-invalid', 'true'), { timeout: 20_000 });
    expect(password).toHaveAccessibleDescription(/10/);
    expect(screen.getByLabelText('Email')).not.toHaveAttribute('aria-invalid');
    expect(screen.getByRole('alert')).toHaveTextContent('Please correct the fields marked below.');
    expect(screen.getByLabelText('Organization')).toHaveValue('Sam Co');
    expect(password).toHaveValue('short');
    expect(session.current).toBeNull();
  });

  it('tells a person who signs up with an email that has an account to sign in with its password, and keeps the form', async () => {
    const { email } = await signedUpSession();
    const session = new Session({ baseUrl: apiUrl(), storage: memoryStorage() });
    render(
      <SessionContext.Provider value={session}>
        <MemoryRouter initialEntries={['/sign-up']}>
          <SignUp />
        </MemoryRouter>
      </SessionContext.Provider>,
    );
    const user = userEvent.setup();
    await user.type(screen.getByLabelText('Your name'), 'Sam');
    await user.type(screen.getByLabelText('Email'), email);
    await user.type(screen.getByLabelText('Password'), 'another password 123');
    await user.type(screen.getByLabelText('Organization'), 'Sam Co');
    await user.click(screen.getByRole('button', { name: 'Create organization' }));
    expect(await screen.findByRole('alert', {}, { timeout: 20_000 })).toHaveTextContent(
      'If the email already has an account, sign in with its password instead.',
    );
    expect(screen.getByLabelText('Email')).toHaveValue(email);
    expect(session.current).toBeNull();
  });
});
