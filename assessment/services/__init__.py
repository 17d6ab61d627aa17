from .results import (
    final_result_record,
    final_results_record,
    may_record_results,
    module_grades_save,
    parse_score,
    typed_by_hand,
)

__all__ = [
    "final_result_record",
    "final_results_record",
    "may_record_results",
    "module_grades_save",
    "parse_score",
    "typed_by_hand",
]
