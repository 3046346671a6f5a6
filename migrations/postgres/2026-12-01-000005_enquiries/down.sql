DROP TABLE tender_reminders;
DROP TABLE enquiry_note_items;
DROP TABLE enquiry_notes;
DROP TABLE enquiries;
DROP TABLE tender_interests;
DROP FUNCTION enquiry_note_frozen();
