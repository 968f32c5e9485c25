//! The workflows screen as a state machine.
