// The bit cast from a field's raw value back to the field (FieldNames.swift)
// relies on the raw values being the cases' tags: checked for every case.

@testable import TrailScanCore
import Testing

@Suite struct FieldNamesTests {
    @Test func everyRecordFieldComesBackFromItsRawValue() {
        for field in RecordField.allCases {
            #expect(RecordField(matched: field.rawValue) == field)
        }
    }

    @Test func everyNestedFieldComesBackFromItsRawValue() {
        for field in NestedField.allCases {
            #expect(NestedField(matched: field.rawValue) == field)
        }
    }
}
