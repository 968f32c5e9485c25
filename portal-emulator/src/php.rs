//! PHP request decoding. (Being written.)
