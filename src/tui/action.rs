//! Everything a person can ask the terminal UI to do. The key map names
//! these directly (`run = "add"`), so the enum derives `Deserialize`.

use ratatui::crossterm::event::KeyEvent;
use serde::Deserialize;

/// One user intention, independent of the key that produced it.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    Quit,
    /// Show the recent status messages.
    Messages,
    /// Ctrl-C: closes an open prompt, else asks before quitting.
    Interrupt,
    /// Ctrl-Z: hands the terminal back to the shell until `fg`.
    Suspend,
    Help,
    NextTab,
    PrevTab,
    TabDashboard,
    TabCustomers,
    TabOpportunities,
    TabProducts,
    TabActivities,
    Up,
    Down,
    PageUp,
    PageDown,
    Top,
    Bottom,
    /// Sort by the next column.
    SortNext,
    /// Reverse the sort order.
    SortReverse,
    /// Show or hide the detail pane (full screen on narrow terminals).
    ToggleDetail,
    /// Scroll the detail pane.
    DetailDown,
    DetailUp,
    Add,
    Edit,
    Delete,
    Undo,
    /// Read the list and the selected record again (changes made elsewhere).
    Reload,
    /// Start logging a touch (call, visit, …) on the selected customer.
    LogTouch,
    /// Mark a follow-up reminder done: the selected one on the Dashboard,
    /// the selected touch's, or the selected customer's earliest.
    MarkDone,
    /// Merge a likely duplicate into the selected customer (asks first).
    Merge,
    /// Opportunities: move the deal to the next / previous stage.
    StageNext,
    StagePrev,
    /// Opportunities: close the deal as won / lost (asks why).
    MarkWon,
    MarkLost,
    /// Opportunities: the pipeline as a board by stage, or the table.
    Board,
    /// Filter the list by one tag.
    Filter,
    /// Team book: the lists show my records only, or the whole team's.
    ToggleMine,
    /// Activities: all, touches only, campaigns only.
    CycleKind,
    /// Activities: add a marketing campaign.
    AddCampaign,
    /// Board: the previous / next stage column.
    Left,
    Right,
    /// Open the trash: deleted records of every kind.
    Trash,
    /// Trash: take the selected record out of the trash.
    Restore,
    /// Trash: delete the selected record for good (asks first).
    Purge,
    /// Search this tab's list as you type.
    Search,
    /// Search every kind of record (overlay).
    GlobalSearch,
    /// Show the whole list again after a search.
    ClearSearch,
    /// Clear what was typed in the search.
    ClearInput,
    NextField,
    PrevField,
    Save,
    Cancel,
    Confirm,
    Deny,
    /// The touch being logged is a call, visit, meeting, email or note.
    TouchCall,
    TouchVisit,
    TouchMeeting,
    TouchEmail,
    TouchNote,
    /// A key with no binding in the current context, passed to the focused
    /// text field, picker or overlay.
    #[serde(skip)]
    Key(KeyEvent),
    /// The terminal changed size.
    #[serde(skip)]
    Resize(u16, u16),
}
