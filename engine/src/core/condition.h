// Evaluation of catalog `when` terms (engine/CATALOG.md, "Conditions") against
// one op. tailor/conditions.py implements the same rules for the selector.
#pragma once
#include <string>
#include <vector>

#include "core/op_desc.h"
#include "core/registry.h"
#include "core/tensor.h"

namespace tailor {

// What a term may look at: the op's attributes and slots, and for each input
// slot the stored dims of its first argument when that is a parameter.
struct OpFacts {
  const OpDesc* op = nullptr;
  std::vector<const Dims*> param_dims;  // parallel to op->inputs; nullptr if not a parameter
};

// `reg` holds the strings and list items the term refers to.
bool condition_holds(const CondTerm& term, const OpFacts& facts, const Registry& reg);

// "attr.strides == [1, 1]" — the term as the catalog wrote it, for messages.
std::string condition_to_string(const CondTerm& term, const Registry& reg);

}  // namespace tailor
