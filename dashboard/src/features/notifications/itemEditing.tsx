import { type FormEvent, type ReactNode, type RefObject, useEffect, useId, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Checked, FormErrors } from './forms';
import { FormFooter, type Outcome, OutcomeLine, failureText, refreshNotifications } from './parts';

/** Which item of a list is being edited ('new' while the form of a new one is open), and the last action's outcome. */
export function useListEditing() {
  const [editing, setEditing] = useState<string | null>(null);
  const [outcome, setOutcome] = useState<Outcome>(null);
  const addButton = useRef<HTMLButtonElement>(null);

  /** Closes the open form, says what came of it, and puts focus back on the add button it was opened from. */
  const closeForm = (result: Outcome) => {
    setEditing(null);
    if (result) setOutcome(result);
    setTimeout(() => addButton.current?.focus(), 0);
  };

  return { editing, setEditing, outcome, setOutcome, addButton, closeForm };
}

export type ListEditing = ReturnType<typeof useListEditing>;

interface EditableListPanelProps {
  list: ListEditing;
  headingId: string;
  heading: string;
  note: string;
  addLabel: string;
  /** False while a new item cannot be added yet. */
  canAdd?: boolean;
  children: ReactNode;
}

/** A panel of items that can be added, changed and deleted: heading with the add button, a note, the last outcome, then the list. */
export function EditableListPanel({ list, headingId, heading, note, addLabel, canAdd = true, children }: EditableListPanelProps) {
  return (
    <section className="panel ntf-panel" aria-labelledby={headingId}>
      <div className="panel__head">
        <h2 id={headingId}>{heading}</h2>
        <button ref={list.addButton} type="button" className="button button--small" onClick={() => list.setEditing('new')} disabled={list.editing === 'new' || !canAdd}>
          {addLabel}
        </button>
      </div>
      <p className="panel__note ntf-note">{note}</p>
      <OutcomeLine outcome={list.outcome} />
      {children}
    </section>
  );
}

interface ItemButtonsProps {
  className: string;
  /** The item's name, in the buttons' accessible labels. */
  name: string;
  onEdit: () => void;
  onDelete: () => void;
  showDelete?: boolean;
}

/** An item's Edit and Delete buttons. */
export function ItemButtons({ className, name, onEdit, onDelete, showDelete = true }: ItemButtonsProps) {
  const { t } = useTranslation('notifications');
  return (
    <div className={className}>
      <button type="button" className="button button--secondary button--small" onClick={onEdit} aria-label={t('common.editLabel', { name })}>
        {t('common.edit')}
      </button>
      {showDelete && (
        <button type="button" className="button button--secondary button--small ntf-danger" onClick={onDelete} aria-label={t('common.deleteLabel', { name })}>
          {t('common.delete')}
        </button>
      )}
    </div>
  );
}

interface DeleteConfirmProps {
  /** The question, which also names the group. */
  question: string;
  yesLabel: string;
  busy: boolean;
  onYes: () => void;
  onCancel: () => void;
}

/** "Delete this?" with the button that does it and Cancel. */
export function DeleteConfirm({ question, yesLabel, busy, onYes, onCancel }: DeleteConfirmProps) {
  const { t } = useTranslation('notifications');
  const id = useId();
  return (
    <div className="ntf-confirm" role="group" aria-labelledby={id}>
      <p id={id}>{question}</p>
      <button type="button" className="button button--small ntf-danger-solid" onClick={onYes} disabled={busy}>
        {busy ? t('common.updating') : yesLabel}
      </button>
      <button type="button" className="button button--secondary button--small" onClick={onCancel} disabled={busy}>
        {t('common.cancel')}
      </button>
    </div>
  );
}

interface ItemEditorOptions<F extends string, B> {
  /** The form checked: a request body, or the fields in error. */
  check: () => Checked<F, B>;
  /** Of the fields in error, the one to focus: its id without the editor's prefix. */
  firstInvalid: (errors: FormErrors<F>) => string | undefined;
  save: (body: B) => Promise<{ name: string }>;
  /** What a save says, given the saved item's name. */
  savedText: (name: string) => string;
  /** What a refused save says, given why. */
  failedText: (reason: string) => string;
  onDone: (result: Outcome) => void;
}

export interface ItemEditor<F extends string> {
  /** Prefix of the ids of the form's fields (`${id}-name`). */
  id: string;
  heading: RefObject<HTMLHeadingElement | null>;
  errors: FormErrors<F>;
  busy: boolean;
  failure: string | null;
  submit: (e: FormEvent) => Promise<void>;
}

/**
 * The state of the form of a new or changed item: a submit checks it (focusing the
 * first field in error), saves it, refreshes every notification read and closes
 * with what was done; a refusal stays on the form. Focus starts on its heading.
 */
export function useItemEditor<F extends string, B>(o: ItemEditorOptions<F, B>): ItemEditor<F> {
  const id = useId();
  const heading = useRef<HTMLHeadingElement>(null);
  const [errors, setErrors] = useState<FormErrors<F>>({});
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);
  useEffect(() => heading.current?.focus(), []);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const checked = o.check();
    setFailure(null);
    if (!checked.ok) {
      setErrors(checked.errors);
      const first = o.firstInvalid(checked.errors);
      if (first) document.getElementById(`${id}-${first}`)?.focus();
      return;
    }
    setErrors({});
    setBusy(true);
    try {
      const saved = await o.save(checked.body);
      await refreshNotifications();
      o.onDone({ tone: 'ok', text: o.savedText(saved.name) });
    } catch (err) {
      setFailure(o.failedText(failureText(err)));
      setBusy(false);
    }
  };

  return { id, heading, errors, busy, failure, submit };
}

interface ItemEditorFormProps<F extends string> {
  editor: ItemEditor<F>;
  title: string;
  submitLabel: string;
  onCancel: () => void;
  /** The fields. */
  children: ReactNode;
}

/** The form of an item: its heading, its fields in a grid, and the footer with submit and Cancel. */
export function ItemEditorForm<F extends string>({ editor, title, submitLabel, onCancel, children }: ItemEditorFormProps<F>) {
  return (
    <form className="ntf-form" onSubmit={(e) => void editor.submit(e)} noValidate aria-labelledby={`${editor.id}-title`}>
      <h3 id={`${editor.id}-title`} ref={editor.heading} tabIndex={-1} className="ntf-form__title">
        {title}
      </h3>
      <div className="ntf-form__grid">{children}</div>
      <FormFooter hasErrors={Object.keys(editor.errors).length > 0} failure={editor.failure} busy={editor.busy} submitLabel={submitLabel} onCancel={onCancel} />
    </form>
  );
}
